package webhooks

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/rs/cors"
)

// corsPrefixes are the paths a browser front end on another origin calls: the auth API and the
// REST API. Webhooks, OAuth callbacks and health checks are never cross-origin calls.
var corsPrefixes = []string{"/auth/v1/", "/api/v1/"}

// cors answers the preflights of the allowed origins (CORS_ALLOWED_ORIGINS) and marks their
// requests; any other origin gets no CORS headers, so its browser refuses to read the answer.
func (s *Server) cors() gin.HandlerFunc {
	if len(s.opts.CORSOrigins) == 0 {
		return func(*gin.Context) {}
	}
	c := cors.New(cors.Options{
		AllowedOrigins: s.opts.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
		// supabase-js sends apikey, x-client-info and x-supabase-api-version
		AllowedHeaders: []string{"Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", "Last-Event-ID",
			"apikey", "x-client-info", "x-supabase-api-version"},
		ExposedHeaders:       []string{"ETag", "Location", "Retry-After", "x-supabase-api-version"},
		MaxAge:               600,
		OptionsSuccessStatus: http.StatusNoContent,
	})
	return func(ctx *gin.Context) {
		if !hasPrefix(ctx.Request.URL.Path, corsPrefixes) {
			return
		}
		c.HandlerFunc(ctx.Writer, ctx.Request)
		if ctx.Request.Method == http.MethodOptions && ctx.GetHeader("Access-Control-Request-Method") != "" {
			ctx.Abort() // the preflight is answered
		}
	}
}

func hasPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
