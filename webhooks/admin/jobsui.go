package admin

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"riverqueue.com/riverui"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/webhooks/problem"
)

// JobsUIPath is where River's web UI is served.
const JobsUIPath = "/admin/riverui"

// NewJobsUI is River's web UI on client, made to be served at JobsUIPath as Server.JobsUI (its
// Start runs its background work). Jobs' arguments are hidden until asked for: they name users.
func NewJobsUI(client *river.Client[pgx.Tx], logger *slog.Logger) (*riverui.Handler, error) {
	return riverui.NewHandler(&riverui.HandlerOpts{Endpoints: riverui.NewEndpoints(client, nil), Logger: logger,
		Prefix: JobsUIPath, JobListHideArgsByDefault: true})
}

// The UI's two kinds of call: looking (its pages, the job lists) and acting (retry, cancel,
// delete a job; pause a queue).
var (
	jobsUIRead  = operation{id: "riverui", scopes: []string{"read"}}
	jobsUIWrite = operation{id: "riverui", scopes: []string{"write"}}
)

// registerJobsUI serves the UI to admin keys. A browser can't send a bearer token from a page
// it loaded, so the key also comes as the password of HTTP Basic authentication (any user
// name), which the browser asks for once and then sends with every call of the page. Looking
// needs the read scope, acting the write scope; every action is written to the audit log, and
// one from another site (a page that posts to the UI, the browser adding the credentials) is
// refused, as net/http's CrossOriginProtection decides.
func (s *Server) registerJobsUI(r gin.IRouter) {
	cross := http.NewCrossOriginProtection()
	admit := func(c *gin.Context) {
		op := jobsUIRead
		if !safeMethod(c.Request.Method) {
			op = jobsUIWrite
			if err := cross.Check(c.Request); err != nil {
				problem.Write(c, problem.New(http.StatusForbidden, "a change from another site is refused"))
				return
			}
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
		refuse := func() {
			c.Header("WWW-Authenticate", `Basic realm="Business Connect jobs: an admin key as the password", charset="UTF-8"`)
			problem.Write(c, problem.New(http.StatusUnauthorized, "an admin key is needed, as the password (any user name) or Authorization: Bearer bca_…"))
		}
		token, ok := jobsUIKey(c.Request)
		if !ok {
			refuse()
			return
		}
		if s.admit(c, token, op, refuse) {
			c.Set("admin.target", core.Truncate(c.Request.Method+" "+strings.TrimPrefix(c.Request.URL.Path, JobsUIPath), 200))
			c.Header("Cache-Control", "no-store")
			c.Header("X-Frame-Options", "DENY")
		}
	}
	for _, path := range []string{JobsUIPath, JobsUIPath + "/*path"} {
		r.Any(path, admit, s.audit, gin.WrapH(s.JobsUI))
	}
}

// safeMethod reports whether a call with method only looks.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// jobsUIKey is the admin key of a call to the UI: a Basic password, or a bearer token.
func jobsUIKey(r *http.Request) (string, bool) {
	if _, pass, ok := r.BasicAuth(); ok && pass != "" {
		return pass, true
	}
	return auth.BearerToken(r.Header.Get("Authorization"))
}
