// Package webhooks is the HTTP face of the product: health and readiness probes, metrics, platform
// webhooks, OAuth callbacks and the admin API. It is the only package that imports gin, and every
// route is registered in routes().
package webhooks

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	adminapi "github.com/bizconnect/bizconnect/webhooks/admin"
	"github.com/bizconnect/bizconnect/webhooks/api"
)

// Options configures a Server.
type Options struct {
	// ReadyFunc reports whether the database answers and its schema is current. The message of a
	// core.Error in its chain is shown; everything else stays in the log.
	ReadyFunc func(ctx context.Context) error
	// PendingFunc lists setup steps that have not succeeded yet (a platform unreachable at start);
	// /readyz shows them without failing, since the other platforms are served meanwhile.
	PendingFunc func() []string
	Logger      *slog.Logger
	// Registry receives the server's metrics; a new one is made when nil.
	Registry *prometheus.Registry
	// Routes lets adapters (Telegram, Slack) add their endpoints.
	Routes []Route
	// Auth, when set, is served as the Supabase Auth-compatible API at /auth/v1.
	Auth *auth.Service
	// API, when set, is the REST API at /api/v1 (webhooks/api).
	API *api.Server
	// Admin, when set, is the operators' API at /admin/v1 (webhooks/admin).
	Admin *adminapi.Server
	// CORSOrigins may call the auth and REST APIs from a browser (CORS_ALLOWED_ORIGINS); none
	// when empty: only same-origin pages.
	CORSOrigins []string
	// APIRate bounds the REST API's requests per user (API_RATE_PER_MINUTE); none when zero.
	APIRate auth.Rate
}

// Route is an endpoint an adapter contributes: an http.Handler at Method Path.
type Route struct {
	Method  string
	Path    string
	Handler http.Handler
}

// Server is the gin engine with the product's routes.
type Server struct {
	engine   *gin.Engine
	opts     Options
	requests *prometheus.HistogramVec
}

// New builds a Server.
func New(opts Options) *Server {
	gin.SetMode(gin.ReleaseMode)
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
		opts.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &Server{engine: gin.New(), opts: opts}
	s.engine.ContextWithFallback = true // a handler's context is its request's: cancelled when the client goes
	s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "bizconnect_http_request_duration_seconds",
		Help:    "HTTP requests by method, route template and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 3},
	}, []string{"method", "route", "status"})
	opts.Registry.MustRegister(s.requests)
	s.engine.Use(gin.CustomRecovery(s.recover), s.observe, s.cors(), s.apiLimit())
	s.routes()
	return s
}

// Handler returns the server as an http.Handler: the public routes, without metrics.
func (s *Server) Handler() http.Handler { return s.engine }

// MetricsHandler serves the Prometheus metrics. It belongs on a listener of its own
// (METRICS_ADDR, loopback by default), never beside the public webhooks.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.opts.Registry, promhttp.HandlerOpts{})
}

func (s *Server) routes() {
	s.engine.GET("/healthz", handle(s.healthz))
	s.engine.GET("/readyz", handle(s.readyz))
	for _, r := range s.opts.Routes {
		s.engine.Handle(r.Method, r.Path, gin.WrapH(r.Handler))
	}
	s.authRoutes()
	if s.opts.API != nil {
		s.opts.API.Register(s.engine)
	}
	if s.opts.Admin != nil {
		s.opts.Admin.Register(s.engine)
	}
	s.engine.NoRoute(handle(func(c *gin.Context) error {
		return &Problem{Status: http.StatusNotFound, Title: "Not Found", Detail: "no such route"}
	}))
}

func (s *Server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

func (s *Server) readyz(c *gin.Context) error {
	if s.opts.ReadyFunc != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.opts.ReadyFunc(ctx); err != nil {
			s.opts.Logger.Warn("http: not ready", "err", err)
			reason := "not ready"
			if core.ErrorCode(err) != core.EINTERNAL {
				reason = core.ErrorMessage(err)
			}
			return &Problem{Status: http.StatusServiceUnavailable, Title: "Not Ready", Detail: reason}
		}
	}
	body := gin.H{"status": "ok"}
	if s.opts.PendingFunc != nil {
		if pending := s.opts.PendingFunc(); len(pending) > 0 {
			body["pending"] = pending
		}
	}
	c.JSON(http.StatusOK, body)
	return nil
}

// knownMethods are the only method labels: a made-up method must not become a metric series.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// observe records a request under labels that never come from the request itself: a known method
// or "other", the matched route template or "not_found", and the status.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	method := c.Request.Method
	if !knownMethods[method] {
		method = "other"
	}
	route := c.FullPath()
	if route == "" {
		route = "not_found"
	}
	s.requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).
		Observe(time.Since(start).Seconds())
}

func (s *Server) recover(c *gin.Context, v any) {
	s.opts.Logger.Error("http: panic", "path", c.FullPath(), "panic", v)
	writeError(c, &Problem{Status: http.StatusInternalServerError, Title: "Internal Server Error"})
}
