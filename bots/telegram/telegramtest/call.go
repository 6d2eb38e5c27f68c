package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Call is one request the server received.
type Call struct {
	Method string
	// Params holds every parameter as a string: strings verbatim, other JSON values as raw JSON
	// (e.g. reply_markup), whichever encoding the client used.
	Params map[string]string
	Files  map[string][]byte // uploaded files by parameter name (multipart only)
	Time   time.Time         // when the server received the call
}

// ChatID returns the call's chat_id parameter.
func (c Call) ChatID() string { return c.Params["chat_id"] }

// Text returns the call's text parameter (or caption for sendPhoto).
func (c Call) Text() string {
	if t, ok := c.Params["text"]; ok {
		return t
	}
	return c.Params["caption"]
}

// Keyboard returns the callback data of the call's inline keyboard, row by row (nil without one).
func (c Call) Keyboard() [][]string {
	var markup struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(c.Params["reply_markup"]), &markup) != nil {
		return nil
	}
	rows := make([][]string, 0, len(markup.InlineKeyboard))
	for _, r := range markup.InlineKeyboard {
		var row []string
		for _, b := range r {
			row = append(row, b.CallbackData)
		}
		rows = append(rows, row)
	}
	return rows
}

// Calls returns every call received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls of one method (e.g. "sendMessage"), in order.
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls of method were received and returns them; it fails the
// test after timeout.
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if calls := s.CallsTo(method); len(calls) >= n {
			return calls
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("telegramtest: got %d %s calls, want %d within %s", len(s.CallsTo(method)), method, n, timeout)
			return nil
		}
	}
}

// readCall decodes a request in any of the encodings the Bot API accepts.
func readCall(r *http.Request, method string) (Call, error) {
	c := Call{Method: method, Params: map[string]string{}, Files: map[string][]byte{}, Time: time.Now()}
	for k, v := range r.URL.Query() {
		c.Params[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		return c, readJSON(r.Body, c.Params)
	case "multipart/form-data":
		return c, readMultipart(r, c)
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return c, err
		}
		for k, v := range r.PostForm {
			c.Params[k] = v[0]
		}
	}
	return c, nil
}

func readJSON(body io.Reader, params map[string]string) error {
	var m map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("can't parse JSON body: %w", err)
	}
	for k, raw := range m {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			params[k] = s
			continue
		}
		params[k] = string(raw)
	}
	return nil
}

func readMultipart(r *http.Request, c Call) error {
	if err := r.ParseMultipartForm(32 << 20); errors.Is(err, io.EOF) {
		return nil // a parameterless call (getMe) may send an empty multipart body
	} else if err != nil {
		return fmt.Errorf("can't parse multipart body: %w", err)
	}
	for k, v := range r.MultipartForm.Value {
		c.Params[k] = v[0]
	}
	for k, fhs := range r.MultipartForm.File {
		f, err := fhs[0].Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		c.Files[k] = data
		c.Params[k] = "attach://" + fhs[0].Filename
	}
	return nil
}
