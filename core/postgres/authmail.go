package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
)

var _ auth.MailStore = (*Accounts)(nil)

// WithJobs returns the store queueing account mail as jobs.
func (s *Accounts) WithJobs(j *Jobs) *Accounts { return &Accounts{db: s.db, jobs: j} }

// QueueMail implements auth.MailStore.
func (s *Accounts) QueueMail(ctx context.Context, j auth.MailJob) error {
	if s.jobs == nil {
		return fmt.Errorf("postgres: queue mail: %w", core.ErrNoJobs)
	}
	if _, err := s.jobs.client.Insert(ctx, j, &insertOpts); err != nil {
		return fmt.Errorf("postgres: queue mail: %w", err)
	}
	return nil
}

// SaveToken implements auth.MailStore; tokens long expired go on the way.
func (s *Accounts) SaveToken(ctx context.Context, t auth.Token) error {
	return s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM auth_tokens WHERE (user_id = $1 AND purpose = $2) OR expires_at < now() - interval '1 day'`,
			t.User, t.Purpose); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO auth_tokens (user_id, purpose, token_hash, code_hash, sent_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.User, t.Purpose, t.Hash, t.CodeHash, t.SentTo, t.Expires)
		return err
	})
}

// LastToken implements auth.MailStore.
func (s *Accounts) LastToken(ctx context.Context, user uuid.UUID, purpose string) (time.Time, error) {
	var at *time.Time
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT max(created_at) FROM auth_tokens WHERE user_id = $1 AND purpose = $2`, user, purpose).Scan(&at)
	})
	if at == nil {
		return time.Time{}, err
	}
	return *at, err
}

// TakeToken implements auth.MailStore: the first taker marks it used.
func (s *Accounts) TakeToken(ctx context.Context, purposes []string, hash []byte, sentTo string, codeHash []byte) (auth.Token, error) {
	var t auth.Token
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE auth_tokens SET used_at = now() WHERE purpose = ANY($1) AND expires_at > now() AND used_at IS NULL
			AND CASE WHEN $2::bytea IS NOT NULL THEN token_hash = $2 ELSE lower(sent_to) = lower($3) AND code_hash = $4 END
			RETURNING user_id, purpose, token_hash, code_hash, sent_to, expires_at`, purposes, hash, sentTo, codeHash).
			Scan(&t.User, &t.Purpose, &t.Hash, &t.CodeHash, &t.SentTo, &t.Expires)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return t, auth.ErrTokenInvalid
	}
	return t, err
}

// ConfirmAddress implements auth.MailStore.
func (s *Accounts) ConfirmAddress(ctx context.Context, user uuid.UUID, purpose, sentTo string) (auth.Account, error) {
	var a auth.Account
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		if purpose == auth.MailEmailChange {
			if err := emailFree(ctx, tx, sentTo, user); err != nil {
				return err
			}
			a, err = scanAccount(tx.QueryRow(ctx, `UPDATE users SET email = $2, email_change = NULL, email_confirmed_at = now()
				WHERE id = $1 AND lower(email_change) = lower($2) RETURNING `+accountColumns, user, sentTo))
			if core.ErrorCode(err) == core.ENOTFOUND {
				return auth.ErrTokenInvalid // another change since
			}
			return err
		}
		a, err = scanAccount(tx.QueryRow(ctx, `UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, now())
			WHERE id = $1 AND lower(email) = lower($2) RETURNING `+accountColumns, user, sentTo))
		if core.ErrorCode(err) == core.ENOTFOUND {
			return auth.ErrTokenInvalid // the address changed since
		}
		return err
	})
	return a, err
}

// SetEmailChange implements auth.MailStore. An address another account has is a conflict.
func (s *Accounts) SetEmailChange(ctx context.Context, user uuid.UUID, email string) (auth.Account, error) {
	var a auth.Account
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if err := emailFree(ctx, tx, email, user); err != nil {
			return err
		}
		var err error
		a, err = scanAccount(tx.QueryRow(ctx, `UPDATE users SET email_change = $2 WHERE id = $1 RETURNING `+accountColumns, user, email))
		return err
	})
	return a, err
}

// Suppressed implements auth.MailStore.
func (s *Accounts) Suppressed(ctx context.Context, email, category string) (bool, error) {
	var off bool
	err := s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM mail_suppressions WHERE email = lower($1) AND category = $2)`, email, category).Scan(&off)
	})
	return off, err
}

// Suppress implements auth.MailStore.
func (s *Accounts) Suppress(ctx context.Context, email, category string) error {
	return s.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO mail_suppressions (email, category) VALUES (lower($1), $2) ON CONFLICT DO NOTHING`, email, category)
		return err
	})
}

// emailFree is a conflict when another account than user has email.
func emailFree(ctx context.Context, tx pgx.Tx, email string, user uuid.UUID) error {
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM users WHERE lower(email) = lower($1) AND id <> $2)`, email, user).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return core.Errorf(core.ECONFLICT, "A user with this email address has already been registered")
	}
	return nil
}
