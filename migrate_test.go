package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// TestMigrateCommand drives `bizconnect migrate` on an empty database: up, status, reset, up.
func TestMigrateCommand(t *testing.T) {
	t.Setenv("DATABASE_ADMIN_URL", coretest.NewEmptyDB(t))
	t.Setenv("DATABASE_URL", "")
	n := postgres.MigrationCount()
	applied, rolled := fmt.Sprintf("applied %d migration(s)", n), fmt.Sprintf("rolled back %d migration(s)", n)
	migrate := func(action string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate", action}, nil, &out, io.Discard); err != nil {
			t.Fatalf("migrate %s: %v", action, err)
		}
		return out.String()
	}
	if out := migrate("up"); !strings.Contains(out, applied) {
		t.Fatalf("up: %s", out)
	}
	if out := migrate("status"); strings.Count(out, "applied") != n || strings.Contains(out, "pending") {
		t.Fatalf("status: %s", out)
	}
	if out := migrate("reset"); !strings.Contains(out, rolled) {
		t.Fatalf("reset: %s", out)
	}
	if out := migrate("status"); strings.Count(out, "pending") != n {
		t.Fatalf("status after reset: %s", out)
	}
	if out := migrate("up"); !strings.Contains(out, applied) {
		t.Fatalf("up again: %s", out)
	}
	if err := run(context.Background(), []string{"migrate", "sideways"}, nil, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown action must fail")
	}
}
