// Package postgres implements the core's storage on PostgreSQL with pgx.
//
// The application connects as a role that owns nothing and has no privileges of its own
// (bizconnect_app, NOINHERIT). Every query runs inside a transaction that first switches to
// `authenticated` with the user's JWT-style claims (InUserTx) or to `service_role` (InServiceTx),
// so Row Level Security decides what a query can see, not the Go code.
package postgres
