package postgres

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bizconnect/bizconnect/core"
)

// RawTx exposes the connection of a transaction the store opened, so tests can check what
// PostgreSQL itself allows inside it with no Go-side filter in the way.
func RawTx(t core.Tx) querier { return t.(*tx).q }

// Reject records an update the database refused, as Accept does for a poison pill.
func (q *Queues) Reject(ctx context.Context, in core.Inbound, cause error) error {
	return q.reject(ctx, in, cause)
}

// OpenCounting opens url with a pool that counts what it sends, each a round trip: statements
// outside a batch and batches.
func OpenCounting(t testing.TB, url string) (*DB, *atomic.Int64) {
	t.Helper()
	c := &tripCounter{}
	db, err := open(context.Background(), url, func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = c })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db, &c.n
}

type tripCounter struct {
	n       atomic.Int64
	inBatch atomic.Int64
}

func (c *tripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	if c.inBatch.Load() == 0 {
		c.n.Add(1)
	}
	return ctx
}
func (c *tripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *tripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	c.inBatch.Add(1)
	return ctx
}
func (c *tripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *tripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {
	c.inBatch.Add(-1)
}
