package hookstest

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
)

// Register stores an endpoint for events at url as the admin API does — a fresh secret, sealed
// by v with the endpoint's id — and returns its id and secret.
func Register(t testing.TB, db *coretest.TestDB, v *vault.Vault, url string, events ...string) (uuid.UUID, string) {
	t.Helper()
	secret := hooks.NewSecret()
	id := uuid.New()
	sealed, keyID, err := v.Seal([]byte(secret), id[:])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewHooks(db.DB, nil, 0).CreateEndpoint(context.Background(), hooks.Endpoint{ID: id, URL: url, Events: events,
		Sealed: sealed, KeyID: keyID}); err != nil {
		t.Fatal(err)
	}
	return id, secret
}
