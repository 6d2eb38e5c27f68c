package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// Loads implements core.LoadSnapshots as service_role.
type Loads struct{ db *DB }

// NewLoads returns the store of everyone's Business Load snapshots.
func NewLoads(db *DB) *Loads { return &Loads{db: db} }

var _ core.LoadSnapshots = (*Loads)(nil)

// UsersAfter implements core.LoadSnapshots.
func (l *Loads) UsersAfter(ctx context.Context, after uuid.UUID, n int) ([]core.User, error) {
	var out []core.User
	err := l.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT $2`, after, n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u core.User
			if err := scanUser(rows, &u); err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	return out, nil
}

// WorkHistories implements core.LoadSnapshots.
func (l *Loads) WorkHistories(ctx context.Context, users []uuid.UUID, from, to core.Date) (map[uuid.UUID][]core.DayWork, error) {
	var out map[uuid.UUID][]core.DayWork
	err := l.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = workHistories(ctx, tx, users, from, to)
		return err
	})
	return out, err
}

// SaveLoads implements core.LoadSnapshots.
func (l *Loads) SaveLoads(ctx context.Context, day core.Date, loads map[uuid.UUID]int) error {
	ids, values := make([]uuid.UUID, 0, len(loads)), make([]int32, 0, len(loads))
	for id, v := range loads {
		ids, values = append(ids, id), append(values, int32(v))
	}
	err := l.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO daily_progress (user_id, date, business_load)
			SELECT u, $2::date, v FROM unnest($1::uuid[], $3::int[]) AS x(u, v)
			ON CONFLICT (user_id, date) DO UPDATE SET business_load = excluded.business_load`, ids, day.String(), values)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: save loads: %w", err)
	}
	return nil
}

// FindUser returns the id of the user named by nameOrID: an id, or a name only one user has
// (ENOTFOUND when none has it, ECONFLICT when several do). For operator commands.
func (l *Loads) FindUser(ctx context.Context, nameOrID string) (uuid.UUID, error) {
	if id, err := uuid.Parse(nameOrID); err == nil {
		return id, nil
	}
	var ids []uuid.UUID
	err := l.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM users WHERE name = $1 LIMIT 2`, nameOrID)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	switch {
	case err != nil:
		return uuid.Nil, fmt.Errorf("postgres: find user: %w", err)
	case len(ids) == 0:
		return uuid.Nil, core.Errorf(core.ENOTFOUND, "no user named %q", nameOrID)
	case len(ids) > 1:
		return uuid.Nil, core.Errorf(core.ECONFLICT, "more than one user is named %q: give the id", nameOrID)
	}
	return ids[0], nil
}
