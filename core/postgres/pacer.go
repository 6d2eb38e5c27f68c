package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// Pacer implements core.Pacer in table send_pacer, as service_role: one statement books a slot,
// the row's lock orders the instances that book the same bucket at once.
type Pacer struct{ db *DB }

// NewPacer returns the pacer shared through db.
func NewPacer(db *DB) *Pacer { return &Pacer{db: db} }

var _ core.Pacer = (*Pacer)(nil)

// Reserve implements core.Pacer.
func (p *Pacer) Reserve(ctx context.Context, bucket string, gap time.Duration, now, notBefore time.Time) (time.Time, error) {
	var at time.Time
	err := p.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO send_pacer AS p (bucket, next_at) VALUES ($1, greatest($3::timestamptz, $4::timestamptz) + $2::interval)
			ON CONFLICT (bucket) DO UPDATE SET next_at = greatest(p.next_at, $3, $4) + $2::interval
			RETURNING next_at - $2::interval`, bucket, gap.String(), now, notBefore).Scan(&at)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: pace %s: %w", bucket, err)
	}
	return at, nil
}

// Claim implements core.Pacer.
func (p *Pacer) Claim(ctx context.Context, bucket string, gap time.Duration, at time.Time) (bool, time.Time, error) {
	var ok bool
	var next time.Time
	err := p.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `WITH b AS (
				INSERT INTO send_pacer AS p (bucket, next_at) VALUES ($1, $3::timestamptz + $2::interval)
				ON CONFLICT (bucket) DO UPDATE SET next_at = $3::timestamptz + $2::interval WHERE p.next_at <= $3::timestamptz
				RETURNING true)
			SELECT EXISTS (SELECT FROM b), coalesce((SELECT next_at FROM send_pacer WHERE bucket = $1), $3::timestamptz)`,
			bucket, gap.String(), at).Scan(&ok, &next)
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("postgres: pace %s: %w", bucket, err)
	}
	return ok, next, nil
}
