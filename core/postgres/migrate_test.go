package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

var userTables = []string{
	"achievements", "admin_audit", "admin_keys", "ai_plans", "auth_flows", "auth_sessions", "auth_tokens", "broadcasts", "calendar_blocks", "calendar_busy", "calendar_leftovers", "change_events", "conversations", "daily_progress", "goal_progress", "goals",
	"idempotency_keys", "identities", "inbound_updates", "integration_connections", "link_codes", "llm_usage", "mail_suppressions", "milestones", "oauth_states",
	"outbox", "recommendation_feedback", "recommendations", "refresh_tokens", "scheduler_passes", "send_pacer", "subscriptions",
	"task_history", "tasks", "team_invites", "team_members", "teams", "users", "webhook_deliveries", "webhook_endpoints", "webhook_events",
}

var views = []string{"business_load_data", "dashboard_metrics", "teammates", "weekly_report_data"}

func TestMigrateUpResetUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := coretest.NewEmptyDB(t)
	m, err := postgres.NewMigrator(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	for round := 1; round <= 2; round++ {
		if _, err := m.Up(ctx); err != nil {
			t.Fatalf("round %d: up: %v", round, err)
		}
		tables := collect(t, conn, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> 'goose_db_version' ORDER BY 1`)
		if !slices.Equal(tables, userTables) {
			t.Fatalf("round %d: tables = %v, want %v", round, tables, userTables)
		}
		noRLS := collect(t, conn, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> 'goose_db_version' AND NOT relrowsecurity ORDER BY 1`)
		if len(noRLS) > 0 {
			t.Fatalf("round %d: tables without RLS: %v", round, noRLS)
		}
		gotViews := collect(t, conn, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'v' ORDER BY 1`)
		if !slices.Equal(gotViews, views) {
			t.Fatalf("round %d: views = %v, want %v", round, gotViews, views)
		}
		if got := collect(t, conn, `SELECT 'x' WHERE to_regprocedure('auth.uid()') IS NOT NULL`); len(got) != 1 {
			t.Fatalf("round %d: auth.uid() missing", round)
		}
		// River's tables, in their own schema at the version this River needs, for service_role alone
		rm, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Schema: postgres.RiverSchema})
		if err != nil {
			t.Fatal(err)
		}
		all := rm.AllVersions()
		if got := collect(t, conn, `SELECT max(version)::text FROM river.river_migration`); len(got) != 1 || got[0] != fmt.Sprint(all[len(all)-1].Version) {
			t.Fatalf("round %d: river at version %v, want %d", round, got, all[len(all)-1].Version)
		}
		privs := collect(t, conn, `SELECT r || ':' || has_table_privilege(r, 'river.river_job', 'SELECT')::text || ':' || has_schema_privilege(r, 'river', 'USAGE')::text
			FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) r`)
		if !slices.Equal(privs, []string{"anon:false:false", "authenticated:false:true", "service_role:true:true"}) {
			t.Fatalf("round %d: privileges on River's jobs: %v", round, privs)
		}
		// authenticated resolves names in river (to parse Later's insert) and may use nothing there
		reach := collect(t, conn, `SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'river' AND c.relkind IN ('r', 'S', 'v', 'p')
			  AND (has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
			    OR (c.relkind = 'S' AND has_sequence_privilege('authenticated', c.oid, 'USAGE, SELECT, UPDATE')))
			UNION ALL SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = 'river' AND has_function_privilege('authenticated', p.oid, 'EXECUTE')`)
		if len(reach) != 0 {
			t.Fatalf("round %d: authenticated may use %v in River's schema", round, reach)
		}
		st, err := m.Status(ctx)
		if err != nil || len(st) == 0 || !st[len(st)-1].Applied {
			t.Fatalf("round %d: status = %v, %v", round, st, err)
		}

		if _, err := m.Reset(ctx); err != nil {
			t.Fatalf("round %d: reset: %v", round, err)
		}
		left := collect(t, conn, `
			SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'goose_db_version%'
			UNION ALL SELECT typname::text FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typname NOT LIKE '%goose_db_version%'
			UNION ALL SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
			UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname IN ('auth', 'river')`)
		if len(left) > 0 {
			t.Fatalf("round %d: reset left %v", round, left)
		}
	}
}

func collect(t *testing.T, conn *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}
