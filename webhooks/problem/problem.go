// Package problem renders errors as RFC 9457 problem details: the one renderer of the HTTP
// server's and the REST API's errors.
package problem

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bizconnect/bizconnect/core"
)

// Problem is an RFC 9457 problem detail, the body of every error response.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Error implements the error interface.
func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// New is a problem of status with detail.
func New(status int, detail string) *Problem {
	return &Problem{Status: status, Title: http.StatusText(status), Detail: detail}
}

// Handle adapts a handler that returns an error to gin; Write renders the error.
func Handle(fn func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			Write(c, err)
		}
	}
}

var statusOf = map[string]int{
	core.ECONFLICT:     http.StatusConflict,
	core.EINVALID:      http.StatusBadRequest,
	core.ENOTFOUND:     http.StatusNotFound,
	core.EUNAUTHORIZED: http.StatusUnauthorized,
	core.EFORBIDDEN:    http.StatusForbidden,
	core.EINTERNAL:     http.StatusInternalServerError,
	core.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// Of is err as a problem: a problem as it is, a domain error by its code, anything else a 500
// whose details stay in the log (never a stack trace or SQL in the answer).
func Of(err error) *Problem {
	var p *Problem
	if !errors.As(err, &p) {
		status := statusOf[core.ErrorCode(err)]
		p = New(status, core.ErrorMessage(err))
	}
	if p.Type == "" {
		p.Type = "about:blank"
	}
	return p
}

// Write is the one place that renders errors.
func Write(c *gin.Context, err error) {
	p := Of(err)
	if p.Status >= 500 {
		_ = c.Error(err) // for the log
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}
