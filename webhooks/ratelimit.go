package webhooks

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/webhooks/problem"
)

// apiLimit bounds the REST API's requests per user (the access token's subject) and, for
// requests without a valid token, per client address: one user's script can't take the
// database from everyone else. Per process, like the auth API's limits.
func (s *Server) apiLimit() gin.HandlerFunc {
	r := s.opts.APIRate
	if r.N <= 0 || s.opts.Auth == nil {
		return func(*gin.Context) {}
	}
	users := auth.NewLimiter(r)
	retry := fmt.Sprint(max(1, int((r.Period/time.Duration(r.N)).Seconds()+0.5)))
	return func(c *gin.Context) {
		if !strings.HasPrefix(c.Request.URL.Path, "/api/v1/") || c.Request.Method == http.MethodOptions {
			return
		}
		key := "ip:" + clientIP(c.Request)
		if token, ok := auth.BearerToken(c.GetHeader("Authorization")); ok {
			if claims, err := s.opts.Auth.Verify(token); err == nil {
				key = "user:" + claims.Subject
			}
		}
		if !users.Allow(key) {
			c.Header("Retry-After", retry)
			problem.Write(c, problem.New(http.StatusTooManyRequests, fmt.Sprintf("too many requests: at most %d in %v; try again shortly", r.N, r.Period)))
		}
	}
}
