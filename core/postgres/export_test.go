package postgres

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
)

// RawTx exposes the connection of a transaction the store opened, so tests can check what
// PostgreSQL itself allows inside it with no Go-side filter in the way.
func RawTx(t core.Tx) querier { return t.(*tx).q }

// Reject records an update the database refused, as Accept does for a poison pill.
func (q *Queues) Reject(ctx context.Context, in core.Inbound, cause error) error {
	return q.reject(ctx, in, cause)
}
