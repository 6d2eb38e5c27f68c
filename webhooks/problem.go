package webhooks

import "github.com/bizconnect/bizconnect/webhooks/problem"

// Problem is an RFC 9457 problem detail, the body of every error response (webhooks/problem).
type Problem = problem.Problem

// handle adapts a handler that returns an error to gin; errors render as problems.
var handle = problem.Handle

// writeError renders err as a problem.
var writeError = problem.Write
