package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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

// FindTeams implements core.Tx; RLS shows the teams the user is in.
func (t *tx) FindTeams(ctx context.Context) ([]core.Team, error) {
	rows, err := t.q.Query(ctx, `SELECT t.id, t.name, m.role::text, (SELECT count(*) FROM team_members o WHERE o.team_id = t.id)::int
		FROM teams t JOIN team_members m ON m.team_id = t.id AND m.user_id = $1 ORDER BY t.name, t.id`, t.user.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: find teams: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Team, error) {
		var tm core.Team
		return tm, r.Scan(&tm.ID, &tm.Name, &tm.Role, &tm.Members)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: find teams: %w", err)
	}
	return out, nil
}

// FindTeamMembers implements core.Tx; RLS shows the members of the user's teams and their names.
func (t *tx) FindTeamMembers(ctx context.Context, teamID uuid.UUID) ([]core.Member, error) {
	rows, err := t.q.Query(ctx, `SELECT m.user_id, coalesce(u.name, ''), m.role::text, m.joined_at
		FROM team_members m LEFT JOIN users u ON u.id = m.user_id WHERE m.team_id = $1
		ORDER BY m.role, m.joined_at, m.user_id`, teamID)
	if err != nil {
		return nil, fmt.Errorf("postgres: team members: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Member, error) {
		var m core.Member
		return m, r.Scan(&m.UserID, &m.Name, &m.Role, &m.JoinedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: team members: %w", err)
	}
	if len(out) == 0 {
		return nil, core.Errorf(core.ENOTFOUND, "team not found")
	}
	return out, nil
}

// SetMemberRole implements core.Tx through set_member_role(), which checks the caller owns the team.
func (t *tx) SetMemberRole(ctx context.Context, teamID, userID uuid.UUID, role string) error {
	var done bool
	err := t.q.QueryRow(ctx, `SELECT set_member_role($1, $2, $3)`, teamID, userID, role).Scan(&done)
	return t.roleSet("set member role", teamID, role, done, err)
}

// CreateTeamInvite implements core.Tx; RLS lets only the team's owners and admins invite.
func (t *tx) CreateTeamInvite(ctx context.Context, teamID uuid.UUID, code string, expires time.Time) error {
	_, err := t.q.Exec(ctx, `INSERT INTO team_invites (code_hash, team_id, created_by, expires_at, created_at)
		VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, $4, $5)`, code, teamID, t.user.ID, expires, t.now)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return core.Errorf(core.EFORBIDDEN, "only the team's owners and admins invite")
	}
	if err != nil {
		return fmt.Errorf("postgres: team invite: %w", err)
	}
	return nil
}

// RedeemTeamInvite implements core.Tx through redeem_team_invite().
func (t *tx) RedeemTeamInvite(ctx context.Context, code string) (uuid.UUID, error) {
	var team *uuid.UUID
	if err := t.q.QueryRow(ctx, `SELECT redeem_team_invite($1)`, code).Scan(&team); err != nil {
		return uuid.Nil, fmt.Errorf("postgres: redeem team invite: %w", err)
	}
	if team == nil {
		return uuid.Nil, core.Errorf(core.ENOTFOUND, "no such invite, or it was used or expired")
	}
	return *team, nil
}
