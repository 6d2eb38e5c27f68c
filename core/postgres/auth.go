package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
)

// Accounts is the auth service's store: web accounts and their sessions, as service_role (the
// caller is not signed in yet).
type Accounts struct {
	db   *DB
	jobs *Jobs // queues account mail; nil: none
}

// NewAccounts returns the accounts store on db.
func NewAccounts(db *DB) *Accounts { return &Accounts{db: db} }

var _ auth.Store = (*Accounts)(nil)

const accountColumns = `id, coalesce(email, ''), coalesce(password_hash, ''), email_confirmed_at, coalesce(email_change, ''), last_sign_in_at,
	locale::text, user_metadata, created_at, updated_at, suspended_at,
	array(SELECT DISTINCT provider::text FROM identities i WHERE i.user_id = users.id AND provider IN ('google', 'yandex', 'apple', 'telegram') ORDER BY 1)`

func scanAccount(row pgx.Row) (auth.Account, error) {
	var a auth.Account
	var meta []byte
	if err := row.Scan(&a.ID, &a.Email, &a.PasswordHash, &a.EmailConfirmedAt, &a.EmailChange, &a.LastSignInAt, &a.Locale, &meta, &a.CreatedAt, &a.UpdatedAt, &a.SuspendedAt, &a.Providers); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return a, core.Errorf(core.ENOTFOUND, "no such account")
		}
		return a, err
	}
	return a, json.Unmarshal(meta, &a.Metadata)
}

// CreateAccount implements auth.Store.
func (s *Accounts) CreateAccount(ctx context.Context, email, hash, locale string, confirmed *time.Time, metadata map[string]any) (auth.Account, bool, error) {
	meta, err := metadataJSON(metadata)
	if err != nil {
		return auth.Account{}, false, err
	}
	var a auth.Account
	created := false
	err = s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		name, _ := metadata["name"].(string)
		if locale != "ru" {
			locale = "en"
		}
		a, err = scanAccount(tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, email_confirmed_at, user_metadata, name, locale)
			VALUES ($1, $2, $3, $4, left($5, 200), $6) ON CONFLICT (lower(email)) WHERE email IS NOT NULL DO NOTHING
			RETURNING `+accountColumns, email, hash, confirmed, meta, name, locale))
		if core.ErrorCode(err) == core.ENOTFOUND {
			return nil // taken
		}
		created = err == nil
		return err
	})
	if err != nil {
		return auth.Account{}, false, fmt.Errorf("postgres: create account: %w", err)
	}
	return a, created, nil
}

// AccountByEmail implements auth.Store.
func (s *Accounts) AccountByEmail(ctx context.Context, email string) (auth.Account, error) {
	return s.one(ctx, `SELECT `+accountColumns+` FROM users WHERE lower(email) = lower($1)`, email)
}

// AccountByID implements auth.Store.
func (s *Accounts) AccountByID(ctx context.Context, id uuid.UUID) (auth.Account, error) {
	return s.one(ctx, `SELECT `+accountColumns+` FROM users WHERE id = $1`, id)
}

func (s *Accounts) one(ctx context.Context, sql string, arg any) (auth.Account, error) {
	var a auth.Account
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = scanAccount(tx.QueryRow(ctx, sql, arg))
		return err
	})
	return a, err
}

// UpdateAccount implements auth.Store. A new email taken by another account is a conflict.
func (s *Accounts) UpdateAccount(ctx context.Context, id uuid.UUID, email, hash *string, metadata map[string]any) (auth.Account, error) {
	meta, err := metadataJSON(metadata)
	if err != nil {
		return auth.Account{}, err
	}
	var a auth.Account
	err = s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if email != nil {
			if err := emailFree(ctx, tx, *email, id); err != nil {
				return err
			}
		}
		a, err = scanAccount(tx.QueryRow(ctx, `UPDATE users SET email = coalesce($2, email), password_hash = coalesce($3, password_hash),
			user_metadata = user_metadata || $4 WHERE id = $1 RETURNING `+accountColumns, id, email, hash, meta))
		return err
	})
	return a, err
}

// StartSession implements auth.Store.
func (s *Accounts) StartSession(ctx context.Context, user uuid.UUID, method, userAgent string, token []byte) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO auth_sessions (user_id, method, user_agent) VALUES ($1, $2, $3) RETURNING id`,
			user, method, userAgent).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, id, token); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE users SET last_sign_in_at = now() WHERE id = $1`, user)
		return err
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("postgres: start session: %w", err)
	}
	return id, nil
}

// Rotate implements auth.Store. The token's row is locked, so of two requests racing with the
// same token one rotates it and the other finds it used.
func (s *Accounts) Rotate(ctx context.Context, old, next []byte) (session, user uuid.UUID, method string, err error) {
	reused := false
	err = s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var used *time.Time
		var revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT r.session_id, s.user_id, s.method, r.used_at, s.revoked_at
			FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id WHERE r.token_hash = $1 FOR UPDATE OF r, s`, old).
			Scan(&session, &user, &method, &used, &revoked)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return auth.ErrTokenNotFound
		case err != nil:
			return err
		case revoked != nil:
			return auth.ErrTokenNotFound
		case used != nil:
			reused = true // stolen: the family goes, and this transaction commits that
			_, err := tx.Exec(ctx, `UPDATE auth_sessions SET revoked_at = now() WHERE id = $1`, session)
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1`, old); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, session, next); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE auth_sessions SET refreshed_at = now() WHERE id = $1`, session)
		return err
	})
	if reused && err == nil {
		err = auth.ErrTokenReused
	}
	return session, user, method, err
}

// RevokeSessions implements auth.Store.
func (s *Accounts) RevokeSessions(ctx context.Context, user uuid.UUID, session *uuid.UUID, others bool) error {
	return s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL
			AND ($2::uuid IS NULL OR (id = $2) <> $3)`, user, session, others)
		return err
	})
}

// metadataJSON is the user's metadata as stored: an object of at most 8 KB.
func metadataJSON(m map[string]any) ([]byte, error) {
	if m == nil {
		return []byte(`{}`), nil
	}
	b, err := json.Marshal(m)
	if err != nil || len(b) > 8192 {
		return nil, core.Errorf(core.EINVALID, "user metadata is a JSON object of at most 8 KB")
	}
	return b, nil
}

var _ auth.FlowStore = (*Accounts)(nil)

// SaveFlow implements auth.FlowStore; flows long expired are cleared on the way.
func (s *Accounts) SaveFlow(ctx context.Context, f auth.Flow) error {
	return s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM auth_flows WHERE expires_at < now() - interval '1 hour'`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO auth_flows (state_hash, provider, verifier, nonce, redirect_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			f.StateHash, f.Provider, f.Verifier, f.Nonce, f.RedirectTo, f.ExpiresAt)
		return err
	})
}

// TakeFlow implements auth.FlowStore: the row goes with the first taker.
func (s *Accounts) TakeFlow(ctx context.Context, stateHash []byte) (auth.Flow, error) {
	var f auth.Flow
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `DELETE FROM auth_flows WHERE state_hash = $1 AND provider <> 'once' RETURNING state_hash, provider, verifier, nonce, redirect_to, expires_at`,
			stateHash).Scan(&f.StateHash, &f.Provider, &f.Verifier, &f.Nonce, &f.RedirectTo, &f.ExpiresAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "no such flow")
		}
		return err
	})
	if err == nil && time.Now().After(f.ExpiresAt) {
		return auth.Flow{}, core.Errorf(core.ENOTFOUND, "the flow expired")
	}
	return f, err
}

// IdentityUser implements auth.FlowStore.
func (s *Accounts) IdentityUser(ctx context.Context, id auth.Identity) (uuid.UUID, error) {
	var user uuid.UUID
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT user_id FROM identities WHERE provider = $1 AND workspace = '' AND external_id = $2`, id.Provider, id.Subject).Scan(&user)
		if err == nil || !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if id.EmailVerified { // the provider vouches for the address: its account is this person's
			err = tx.QueryRow(ctx, `SELECT id FROM users WHERE lower(email) = lower($1)`, id.Email).Scan(&user)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		if user == uuid.Nil {
			var email, confirmed any
			if id.EmailVerified {
				email, confirmed = id.Email, time.Now()
			}
			if err := tx.QueryRow(ctx, `INSERT INTO users (email, email_confirmed_at, name) VALUES ($1, $2, left($3, 200)) RETURNING id`,
				email, confirmed, id.Name).Scan(&user); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO identities (user_id, provider, external_id, display_name) VALUES ($1, $2, $3, left($4, 200))`,
			user, id.Provider, id.Subject, id.Name)
		return err
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("postgres: identity user: %w", err)
	}
	return user, nil
}

// UseOnce implements auth.FlowStore: the proof is kept as a flow of provider "once".
func (s *Accounts) UseOnce(ctx context.Context, hash []byte, until time.Time) (bool, error) {
	var n int64
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO auth_flows (state_hash, provider, verifier, nonce, redirect_to, expires_at)
			VALUES ($1, 'once', '', '', '', $2) ON CONFLICT DO NOTHING`, hash, until)
		n = tag.RowsAffected()
		return err
	})
	return n == 1, err
}
