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
)

// UpdateUser implements core.Tx: it saves the name, time zone, locale and settings.
func (t *tx) UpdateUser(ctx context.Context, u *core.User) error {
	settings, err := json.Marshal(u.Settings)
	if err != nil {
		return fmt.Errorf("postgres: encode settings: %w", err)
	}
	_, err = t.q.Exec(ctx, `UPDATE users SET name = $2, timezone = $3, locale = $4, settings = $5 WHERE id = $1`,
		u.ID, u.Name, u.Timezone, u.Locale, settings)
	if err != nil {
		return fmt.Errorf("postgres: update user: %w", err)
	}
	return nil
}

// SaveDialog implements core.Tx. The write is sent with the commit.
func (t *tx) SaveDialog(ctx context.Context, chat string, state json.RawMessage) error {
	t.deferred.Queue(`INSERT INTO conversations (user_id, chat, state, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`, t.user.ID, chat, []byte(state), t.now)
	return nil
}

// LoadDialog implements core.Tx.
func (t *tx) LoadDialog(ctx context.Context, chat string) (json.RawMessage, error) {
	var state json.RawMessage
	if err := scanDialog(t.q.QueryRow(ctx, dialogSQL+` FOR UPDATE`, t.user.ID, chat), &state); err != nil {
		return nil, fmt.Errorf("postgres: load dialog: %w", err)
	}
	return state, nil
}

// Enqueue implements core.Tx. The rows are sent with the commit. They are written by
// enqueue_reply, which takes the platform and workspace from the update being answered and refuses
// any chat but that update's or its sender's: a user's transaction can't address anyone else. A
// follow-up (Store.FollowUp) writes through enqueue_later_reply, which also allows only new
// messages.
func (t *tx) Enqueue(ctx context.Context, msgs []core.Outgoing) error {
	if len(msgs) > 0 && t.key == "" {
		return errors.New("postgres: enqueue: replies answer an update, and this transaction has none")
	}
	fn := `SELECT enqueue_reply($1, $2, $3)`
	if t.followUp {
		fn = `SELECT enqueue_later_reply($1, $2, $3)`
	}
	for _, m := range msgs {
		payload, err := json.Marshal(payloadOf(m))
		if err != nil {
			return fmt.Errorf("postgres: encode reply: %w", err)
		}
		t.deferred.Queue(fn, t.key, m.ChatID, payload)
	}
	return nil
}

// RecordLLMUsage implements core.Tx. The row is sent with the next statement or the commit.
func (t *tx) RecordLLMUsage(ctx context.Context, u core.LLMUsage) error {
	t.deferred.Queue(`INSERT INTO llm_usage (user_id, job, model, prompt_version, prompt_tokens, completion_tokens, ok)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.user.ID, u.Job, u.Model, u.PromptVersion, u.PromptTokens, u.CompletionTokens, u.OK)
	return nil
}

// LLMTokensSince implements core.Tx.
func (t *tx) LLMTokensSince(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := t.q.QueryRow(ctx, `SELECT coalesce(sum(prompt_tokens + completion_tokens), 0)::int FROM llm_usage
		WHERE user_id = $1 AND created_at >= $2`, t.user.ID, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: llm usage: %w", err)
	}
	return n, nil
}

// outboxPayload is an outbox row's payload column.
type outboxPayload struct {
	Reply       core.Reply `json:"reply"`
	ThreadID    string     `json:"thread_id,omitempty"`
	UserID      string     `json:"user_id,omitempty"`
	CallbackID  string     `json:"callback_id,omitempty"`
	ResponseURL string     `json:"response_url,omitempty"`
	// A push's kind and due time, for the delivery's lag metric.
	Push string    `json:"push,omitempty"`
	Due  time.Time `json:"due,omitzero"`
}

func payloadOf(m core.Outgoing) outboxPayload {
	return outboxPayload{Reply: m.Reply, ThreadID: m.ThreadID, UserID: m.UserID, CallbackID: m.CallbackID, ResponseURL: m.ResponseURL}
}

// outgoing puts a payload's fields on m.
func (op outboxPayload) outgoing(m *core.Outgoing) {
	m.Reply, m.ThreadID, m.UserID, m.CallbackID, m.ResponseURL = op.Reply, op.ThreadID, op.UserID, op.CallbackID, op.ResponseURL
}

// SaveReflection implements core.Tx: stress, energy and notes of a day (notes are appended).
func (t *tx) SaveReflection(ctx context.Context, day core.Date, stress, energy *int, notes string) error {
	_, err := t.q.Exec(ctx, `INSERT INTO daily_progress (user_id, date, stress, energy, reflection_notes)
		VALUES ($1, $2::date, $3, $4, $5)
		ON CONFLICT (user_id, date) DO UPDATE SET
			stress = coalesce(excluded.stress, daily_progress.stress),
			energy = coalesce(excluded.energy, daily_progress.energy),
			reflection_notes = CASE WHEN excluded.reflection_notes = '' THEN daily_progress.reflection_notes
				WHEN daily_progress.reflection_notes = '' THEN excluded.reflection_notes
				ELSE daily_progress.reflection_notes || E'\n' || excluded.reflection_notes END`,
		t.user.ID, day.String(), stress, energy, notes)
	if err != nil {
		return fmt.Errorf("postgres: save reflection: %w", err)
	}
	return nil
}

// WeekStats implements core.Tx.
func (t *tx) WeekStats(ctx context.Context, weekStart core.Date) (core.WeekStats, error) {
	ws := core.WeekStats{WeekStart: weekStart}
	err := t.q.QueryRow(ctx, `SELECT coalesce(sum(tasks_planned), 0), coalesce(sum(tasks_completed), 0),
			coalesce(sum(planned_minutes), 0), coalesce(sum(completed_minutes), 0),
			avg(avg_business_load)::float8, avg(avg_stress)::float8, avg(avg_energy)::float8, coalesce(sum(goals_advanced), 0)
		FROM weekly_report_data WHERE user_id = $1 AND week_start = $2::date`, t.user.ID, weekStart.String()).
		Scan(&ws.TasksPlanned, &ws.TasksCompleted, &ws.PlannedMinutes, &ws.CompletedMinutes, &ws.AvgLoad, &ws.AvgStress, &ws.AvgEnergy, &ws.GoalsAdvanced)
	if err != nil {
		return ws, fmt.Errorf("postgres: week stats: %w", err)
	}
	return ws, nil
}

// workHistorySQL sums each day's work of the users $1 in one statement: done tasks count on the
// day they were done (in each user's zone), open ones on the day they were planned for. A user's
// transaction asks it for themself (RLS lets it see no one else); the nightly snapshot for a
// thousand users at a time.
const workHistorySQL = `WITH u AS (
		SELECT id, coalesce(nullif(timezone, ''), 'UTC') AS tz FROM users WHERE id = ANY($1::uuid[])
	), t AS ( -- per user (LATERAL), each branch on its own index: a batch reads only its users' window
		SELECT u.id AS user_id, x.* FROM u CROSS JOIN LATERAL (
			SELECT (t.completed_at AT TIME ZONE u.tz)::date AS day, true AS done, coalesce(t.estimated_time, 30) AS m,
			       t.cognitive_load AS c, t.complexity IN ('hard', 'extreme') AS hard, t.goal_id
			  FROM tasks t
			 WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status = 'done'
			   AND t.completed_at >= ($2::date - 1)::timestamptz AND t.completed_at < ($3::date + 2)::timestamptz
			UNION ALL
			SELECT t.scheduled_date, false, coalesce(t.estimated_time, 30), t.cognitive_load,
			       t.complexity IN ('hard', 'extreme'), t.goal_id
			  FROM tasks t
			 WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status NOT IN ('done', 'cancelled')
			   AND t.scheduled_date BETWEEN $2::date AND $3::date
		) x
	), days AS (
		SELECT user_id, day,
		       coalesce(sum(m) FILTER (WHERE done), 0) AS done_min, coalesce(sum(m * c) FILTER (WHERE done), 0) AS done_cog,
		       coalesce(sum(m) FILTER (WHERE done AND hard), 0) AS done_hard,
		       coalesce(sum(m) FILTER (WHERE NOT done), 0) AS open_min, coalesce(sum(m * c) FILTER (WHERE NOT done), 0) AS open_cog,
		       coalesce(sum(m) FILTER (WHERE NOT done AND hard), 0) AS open_hard,
		       count(DISTINCT goal_id) AS goals
		  FROM t WHERE day BETWEEN $2::date AND $3::date GROUP BY user_id, day
	), b AS ( -- the calendar's busy time
		SELECT u.id AS user_id, x.* FROM u CROSS JOIN LATERAL (
			SELECT date, sum(busy_min)::int AS busy_min FROM calendar_busy
			 WHERE user_id = u.id AND date BETWEEN $2::date AND $3::date GROUP BY date OFFSET 0) x
	)
	SELECT coalesce(d.user_id, dp.user_id, b.user_id), coalesce(d.day, dp.date, b.date)::text,
	       coalesce(d.done_min, 0)::int, coalesce(d.done_cog, 0)::int, coalesce(d.done_hard, 0)::int,
	       coalesce(d.open_min, 0)::int, coalesce(d.open_cog, 0)::int, coalesce(d.open_hard, 0)::int, coalesce(d.goals, 0)::int,
	       dp.stress, dp.energy, coalesce(b.busy_min, 0)
	  FROM days d FULL JOIN (SELECT u.id AS user_id, r.* FROM u CROSS JOIN LATERAL (
	                            SELECT date, stress, energy FROM daily_progress
	                             WHERE user_id = u.id AND date BETWEEN $2::date AND $3::date
	                               AND (stress IS NOT NULL OR energy IS NOT NULL) OFFSET 0) r) dp -- OFFSET 0: per user, on the key
	    ON dp.user_id = d.user_id AND dp.date = d.day
	  FULL JOIN b ON b.user_id = coalesce(d.user_id, dp.user_id) AND b.date = coalesce(d.day, dp.date)
	 ORDER BY 1, 2`

// workHistories runs workHistorySQL on q for users.
func workHistories(ctx context.Context, q querier, users []uuid.UUID, from, to core.Date) (map[uuid.UUID][]core.DayWork, error) {
	rows, err := q.Query(ctx, workHistorySQL, users, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: work history: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]core.DayWork{}
	for rows.Next() {
		var w core.DayWork
		var user uuid.UUID
		var day string
		if err := rows.Scan(&user, &day, &w.DoneMin, &w.DoneCog, &w.DoneHard, &w.OpenMin, &w.OpenCog, &w.OpenHard, &w.Goals, &w.Stress, &w.Energy, &w.BusyMin); err != nil {
			return nil, fmt.Errorf("postgres: work history: %w", err)
		}
		if w.Date, err = core.ParseDate(day); err != nil {
			return nil, fmt.Errorf("postgres: work history: %w", err)
		}
		out[user] = append(out[user], w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: work history: %w", err)
	}
	return out, nil
}

// WorkHistory implements core.Tx.
func (t *tx) WorkHistory(ctx context.Context, from, to core.Date) ([]core.DayWork, error) {
	h, err := workHistories(ctx, t.q, []uuid.UUID{t.user.ID}, from, to)
	return h[t.user.ID], err
}

// Reflection implements core.Tx.
func (t *tx) Reflection(ctx context.Context, day core.Date) (core.DailyProgress, error) {
	dp := core.DailyProgress{Date: day}
	err := t.q.QueryRow(ctx, `SELECT business_load, tasks_completed, tasks_planned, stress, energy, reflection_notes
		FROM daily_progress WHERE user_id = $1 AND date = $2::date`, t.user.ID, day.String()).
		Scan(&dp.BusinessLoad, &dp.TasksCompleted, &dp.TasksPlanned, &dp.Stress, &dp.Energy, &dp.Notes)
	if errors.Is(err, pgx.ErrNoRows) {
		return dp, nil
	}
	if err != nil {
		return dp, fmt.Errorf("postgres: reflection: %w", err)
	}
	return dp, nil
}

// SaveLoad implements core.Tx; the write is sent with the commit.
func (t *tx) SaveLoad(ctx context.Context, day core.Date, value int) error {
	t.deferred.Queue(`INSERT INTO daily_progress (user_id, date, business_load) VALUES ($1, $2::date, $3)
		ON CONFLICT (user_id, date) DO UPDATE SET business_load = excluded.business_load`, t.user.ID, day.String(), value)
	return nil
}

// PushAddress implements core.Tx.
func (t *tx) PushAddress(ctx context.Context) (core.Inbound, error) {
	in := core.Inbound{ChatType: core.ChatPrivate}
	var provider string
	err := t.q.QueryRow(ctx, `SELECT provider::text, workspace, external_id FROM my_push_address()`).Scan(&provider, &in.Workspace, &in.ExternalUserID)
	if errors.Is(err, pgx.ErrNoRows) {
		return in, core.Errorf(core.ENOTFOUND, "no private chat to write to")
	}
	if err != nil {
		return in, fmt.Errorf("postgres: push address: %w", err)
	}
	in.Provider, in.ChatID = core.Provider(provider), in.ExternalUserID
	return in, nil
}

// Push implements core.Tx: each message is its own row, keyed by its place in the push.
func (t *tx) Push(ctx context.Context, kind, occurrence string, at time.Time, msgs []core.Outgoing) (bool, error) {
	return t.pushEach(ctx, kind, occurrence, at, msgs, func(key string, payload []byte) (*bool, error) {
		var ok bool
		err := t.q.QueryRow(ctx, `SELECT enqueue_push($1, $2, $3, $4)`, kind, key, at, payload).Scan(&ok)
		return &ok, err
	})
}

// PushTeamReport implements core.Tx.
func (t *tx) PushTeamReport(ctx context.Context, team uuid.UUID, occurrence string, at time.Time, msgs []core.Outgoing) (bool, error) {
	return t.pushEach(ctx, "team_weekly", occurrence, at, msgs, func(key string, payload []byte) (*bool, error) {
		var ok *bool
		err := t.q.QueryRow(ctx, `SELECT enqueue_team_report($1, $2, $3, $4)`, team, key, at, payload).Scan(&ok)
		return ok, err
	})
}

// pushEach writes each of msgs with write, the first under occurrence and the others under
// occurrence#i, each marked with its kind and due time, and reports whether any was new; a nil answer means there is nowhere to write.
func (t *tx) pushEach(ctx context.Context, kind, occurrence string, at time.Time, msgs []core.Outgoing, write func(key string, payload []byte) (*bool, error)) (bool, error) {
	fresh := false
	for i, m := range msgs {
		op := payloadOf(m)
		op.Push, op.Due = kind, at
		payload, err := json.Marshal(op)
		if err != nil {
			return false, fmt.Errorf("postgres: encode push: %w", err)
		}
		key := occurrence
		if i > 0 {
			key = fmt.Sprintf("%s#%d", occurrence, i)
		}
		ok, err := write(key, payload)
		if err != nil {
			return false, fmt.Errorf("postgres: push %s: %w", kind, err)
		}
		if ok == nil {
			return false, core.Errorf(core.ENOTFOUND, "postgres: push %s: nowhere to write it", kind)
		}
		fresh = fresh || *ok
	}
	return fresh, nil
}

// ClaimIdempotencyKey implements core.Tx. A second request with the key waits on the first's
// row until that transaction ends, then reads what it saved.
func (t *tx) ClaimIdempotencyKey(ctx context.Context, key, fingerprint string) (json.RawMessage, error) {
	tag, err := t.q.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, fingerprint) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		t.user.ID, key, fingerprint)
	if err != nil {
		return nil, fmt.Errorf("postgres: idempotency key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var fp string
	var saved json.RawMessage
	if err := t.q.QueryRow(ctx, `SELECT fingerprint, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, t.user.ID, key).Scan(&fp, &saved); err != nil {
		return nil, fmt.Errorf("postgres: idempotency key: %w", err)
	}
	if fp != fingerprint {
		return nil, core.Errorf(core.ECONFLICT, "this Idempotency-Key was used for another request")
	}
	if saved == nil {
		return nil, core.Errorf(core.ECONFLICT, "the request with this Idempotency-Key is still being made")
	}
	return saved, nil
}

// SaveIdempotentResponse implements core.Tx.
func (t *tx) SaveIdempotentResponse(ctx context.Context, key string, response json.RawMessage) error {
	_, err := t.q.Exec(ctx, `UPDATE idempotency_keys SET status = 200, response = $3 WHERE user_id = $1 AND key = $2`, t.user.ID, key, response)
	if err != nil {
		return fmt.Errorf("postgres: idempotency key: %w", err)
	}
	return nil
}

// CreateLinkCode implements core.Tx.
func (t *tx) CreateLinkCode(ctx context.Context, code string, expires time.Time) error {
	_, err := t.q.Exec(ctx, `INSERT INTO link_codes (code_hash, user_id, expires_at) VALUES (sha256(convert_to($1, 'UTF8')), $2, $3)`,
		code, t.user.ID, expires)
	if err != nil {
		return fmt.Errorf("postgres: link code: %w", err)
	}
	return nil
}

// RedeemLinkCode implements core.Tx.
func (t *tx) RedeemLinkCode(ctx context.Context, code string) (uuid.UUID, string, error) {
	var from *uuid.UUID
	if err := t.q.QueryRow(ctx, `SELECT redeem_link_code($1)`, code).Scan(&from); err != nil {
		return uuid.Nil, "", fmt.Errorf("postgres: redeem link code: %w", err)
	}
	if from == nil {
		return uuid.Nil, "", core.Errorf(core.ENOTFOUND, "no such code, or it was used or expired")
	}
	var locale string
	if err := t.q.QueryRow(ctx, `SELECT locale::text FROM users WHERE id = $1`, t.user.ID).Scan(&locale); err != nil {
		return uuid.Nil, "", fmt.Errorf("postgres: redeem link code: %w", err)
	}
	return *from, locale, nil
}
