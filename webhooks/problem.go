package webhooks

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

// handle adapts a handler that returns an error to gin; writeError renders the error.
func handle(fn func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			writeError(c, err)
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

// writeError is the one place that renders errors: problems as they are, domain errors by code,
// anything else as a 500 whose details stay in the log.
func writeError(c *gin.Context, err error) {
	var p *Problem
	if !errors.As(err, &p) {
		status := statusOf[core.ErrorCode(err)]
		p = &Problem{Status: status, Title: http.StatusText(status), Detail: core.ErrorMessage(err)}
	}
	if p.Type == "" {
		p.Type = "about:blank"
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}
