package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/vault"
)

// Workspaces stores Slack installations: a team per workspace, its bot token sealed with the
// vault, and OAuth states. It works as service_role: installing happens before any user exists.
type Workspaces struct {
	db    *DB
	vault *vault.Vault
}

// NewWorkspaces returns the workspace store; v seals tokens (nil: tokens can't be stored).
func NewWorkspaces(db *DB, v *vault.Vault) *Workspaces { return &Workspaces{db: db, vault: v} }

// Save stores an installation: the team (created or renamed and re-enabled), its sealed token,
// and the installer as the team's owner (a user is created for them if needed).
func (w *Workspaces) Save(ctx context.Context, ws core.Installation) error {
	if w.vault == nil {
		return errors.New("postgres: save workspace: BC_ENCRYPTION_KEY is not set, tokens can't be stored")
	}
	sealed, keyID, err := w.vault.Seal([]byte(ws.BotToken), []byte(ws.TeamID))
	if err != nil {
		return err
	}
	name := ws.TeamName
	if name == "" {
		name = ws.TeamID
	}
	return w.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `WITH t AS (
				INSERT INTO teams (name, slack_team_id, bot_token, bot_token_key)
				VALUES ($1, $2, $3, $4)
				ON CONFLICT (slack_team_id) DO UPDATE SET name = excluded.name, bot_token = excluded.bot_token,
					bot_token_key = excluded.bot_token_key, disabled_at = NULL
				RETURNING id
			), known AS (
				SELECT user_id FROM identities WHERE provider = 'slack' AND workspace = $2 AND external_id = $5
			), created AS (
				INSERT INTO users (name, timezone) SELECT $6, coalesce(nullif($7, ''), 'UTC')
				WHERE $5 <> '' AND NOT EXISTS (SELECT FROM known) RETURNING id
			), ident AS (
				INSERT INTO identities (user_id, provider, workspace, external_id, display_name)
				SELECT id, 'slack', $2, $5, $6 FROM created RETURNING user_id
			)
			INSERT INTO team_members (team_id, user_id, role)
			SELECT t.id, u.user_id, 'owner' FROM t, (SELECT user_id FROM known UNION ALL SELECT user_id FROM ident) u
			ON CONFLICT (team_id, user_id) DO UPDATE SET role = 'owner'`,
			name, ws.TeamID, sealed, keyID, ws.InstallerUserID, ws.InstallerName, ws.InstallerTimeZone)
		if err != nil {
			return fmt.Errorf("postgres: save workspace: %w", err)
		}
		return nil
	})
}

// Token returns a workspace's bot token; an error wrapping core.ErrUnreachable when the
// workspace is unknown, uninstalled or its token revoked.
func (w *Workspaces) Token(ctx context.Context, teamID string) (string, error) {
	var sealed []byte
	var keyID *string
	err := w.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT bot_token, bot_token_key FROM teams
			WHERE slack_team_id = $1 AND disabled_at IS NULL AND bot_token IS NOT NULL`, teamID).Scan(&sealed, &keyID)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("slack workspace %s: %w", teamID, core.ErrUnreachable)
	}
	if err != nil {
		return "", fmt.Errorf("postgres: workspace token: %w", err)
	}
	if w.vault == nil || keyID == nil {
		return "", errors.New("postgres: workspace token: no encryption key configured")
	}
	plain, err := w.vault.Open(sealed, *keyID, []byte(teamID))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// Disable forgets a workspace's token after tokens_revoked or app_uninstalled.
func (w *Workspaces) Disable(ctx context.Context, teamID string) error {
	return w.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE teams SET disabled_at = now(), bot_token = NULL, bot_token_key = NULL WHERE slack_team_id = $1`, teamID)
		if err != nil {
			return fmt.Errorf("postgres: disable workspace: %w", err)
		}
		return nil
	})
}

// ConsumeState records a (signed, unexpired) OAuth state as used until it expires and reports
// whether this was its first use.
func (w *Workspaces) ConsumeState(ctx context.Context, state string, expires time.Time) (bool, error) {
	var ok bool
	err := w.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO oauth_states (state, expires_at) VALUES ($1, $2) ON CONFLICT (state) DO NOTHING`, state, expires)
		ok = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: consume oauth state: %w", err)
	}
	return ok, nil
}

// Purge implements core.Retention: used OAuth states are kept only until they expire.
func (w *Workspaces) Purge(ctx context.Context, _ time.Time) (core.Purged, error) {
	var p core.Purged
	err := w.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM oauth_states WHERE expires_at < now()`)
		p.States = tag.RowsAffected()
		return err
	})
	if err != nil {
		return p, fmt.Errorf("postgres: purge oauth states: %w", err)
	}
	return p, nil
}
