package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
)

// Failure is an error answer of the Bot API.
type Failure struct {
	Code        int    // error_code, also the HTTP status
	Description string // e.g. "Forbidden: bot was blocked by the user"
	RetryAfter  int    // parameters.retry_after in seconds, for 429
}

// TooManyRequests is the 429 answer asking to wait retryAfter seconds.
func TooManyRequests(retryAfter int) Failure {
	return Failure{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

// BlockedByUser is the 403 answer for a user who blocked the bot.
func BlockedByUser() Failure {
	return Failure{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// CantInitiate is the 403 answer for a private chat with a user who never wrote to the bot.
func CantInitiate() Failure {
	return Failure{Code: http.StatusForbidden, Description: "Forbidden: bot can't initiate conversation with a user"}
}

// BadRequest is a 400 answer with "Bad Request: " and desc as its description.
func BadRequest(desc string) Failure {
	return Failure{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

// InternalError is a 500 answer, which clients should retry.
func InternalError() Failure {
	return Failure{Code: http.StatusInternalServerError, Description: "Internal Server Error"}
}

type scripted struct {
	method string // "" matches every method
	chatID string // "" matches every chat
	f      Failure
	hold   <-chan struct{} // when set, the call waits for it to close, then proceeds
}

// HoldNext makes the next call of method wait until gate is closed (or the client gives up),
// then answer normally: a Bot API that is slow to answer.
func (s *Server) HoldNext(method string, gate <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, scripted{method: method, hold: gate})
}

// FailNext makes the next call of method (any method when "") to chatID (any chat when "")
// answer f. Scripted failures are used once each, first scripted first used; a zero Failure lets
// its call through, so FailNext(m, c, Failure{}) then FailNext(m, c, f) fails the second call.
func (s *Server) FailNext(method, chatID string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, scripted{method: method, chatID: chatID, f: f})
}

// Block makes every send to chatID answer 403 "bot was blocked by the user" until Unblock.
func (s *Server) Block(chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = BlockedByUser()
}

// Stranger makes user someone who never opened a private chat with the bot (they only met it in
// a group): every send to their private chat answers 403 "bot can't initiate conversation with
// a user", until Unblock (they pressed Start).
func (s *Server) Stranger(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[fmt.Sprint(user)] = CantInitiate()
}

// Unblock undoes Block or Stranger.
func (s *Server) Unblock(chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// scriptedFailure returns the failure scripted for c, or a gate c must wait for.
func (s *Server) scriptedFailure(c Call) (Failure, <-chan struct{}, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, sf := range s.failures {
		if (sf.method == "" || strings.EqualFold(sf.method, c.Method)) && (sf.chatID == "" || sf.chatID == c.ChatID()) {
			s.failures = append(s.failures[:i:i], s.failures[i+1:]...)
			return sf.f, sf.hold, sf.f.Code != 0
		}
	}
	if f, ok := s.blocked[c.ChatID()]; ok && c.ChatID() != "" && isSend(c.Method) {
		return f, nil, true
	}
	return Failure{}, nil, false
}

func isSend(method string) bool {
	switch strings.ToLower(method) {
	case "sendmessage", "sendphoto", "editmessagetext":
		return true
	}
	return false
}
