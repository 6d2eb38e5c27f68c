package webhooks_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/webhooks"
)

// serveLimited serves h with limits on a loopback port and returns its address.
func serveLimited(t *testing.T, h http.Handler, l webhooks.Limits) string {
	t.Helper()
	ln, err := webhooks.Listen("127.0.0.1:0", l)
	if err != nil {
		t.Fatal(err)
	}
	hs := webhooks.NewHTTPServer(context.Background(), h, l)
	go hs.Serve(ln) //nolint:errcheck // closed below
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// readBody is a handler that reads the whole body, as the webhooks do.
var readBody = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
})

// closedWithin reports whether the server closes c (EOF or reset) within d.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d)) //nolint:errcheck
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !errors.As(err, &ne) || !ne.Timeout()
}

func TestSlowBodyIsCutAtTheReadTimeout(t *testing.T) {
	t.Parallel()
	addr := serveLimited(t, readBody, webhooks.Limits{ReadTimeout: 700 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	fmt.Fprintf(c, "POST /telegram/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nX-Telegram-Bot-Api-Secret-Token: secret\r\n\r\n")
	go func() { // a byte every 100 ms: 100 s for the whole body
		for range 1000 {
			if _, err := c.Write([]byte("{")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	if !closedWithin(c, 3*time.Second) {
		t.Fatal("a body sent a byte at a time was still being read after 3 s")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("cut after %s, want about the 700 ms read timeout", took)
	}
}

func TestSlowHeadersAreCut(t *testing.T) {
	t.Parallel()
	addr := serveLimited(t, readBody, webhooks.Limits{ReadHeaderTimeout: 500 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	if !closedWithin(c, 3*time.Second) {
		t.Fatal("unfinished headers held the connection for 3 s")
	}
}

func TestIdleKeepAliveIsClosed(t *testing.T) {
	t.Parallel()
	addr := serveLimited(t, readBody, webhooks.Limits{IdleTimeout: 500 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %v %v", resp, err)
	}
	resp.Body.Close()
	start := time.Now()
	if !closedWithin(c, 3*time.Second) {
		t.Fatal("an idle keep-alive connection was still open after 3 s")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("closed after %s, want about the 500 ms idle timeout", took)
	}
}

func TestConnectionsPerAddressAreCapped(t *testing.T) {
	t.Parallel()
	addr := serveLimited(t, readBody, webhooks.Limits{MaxConnsPerAddr: 3})
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n") // holds it: the body never comes
		held = append(held, c)
	}
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	fmt.Fprintf(extra, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if !closedWithin(extra, 2*time.Second) {
		t.Fatal("a fourth connection from the same address was served")
	}
	held[0].Close()
	// the place is given back: a new connection is served again
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			return
		}
		if time.Now().After(deadline) { // refusals (EOF, reset, closed) until the place is back
			t.Fatalf("no connection served after one was closed: %v", err)
		}
	}
}
