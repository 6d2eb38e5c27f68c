package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// BenchmarkSignIn is one password sign-in with the product's argon2id parameters (19 MiB, 2
// passes): the hash check, the account read, the session and its refresh token written, the JWT
// signed. The yardstick, measured in the same run, is the account read alone. Run:
// go test -run '^$' -bench SignIn -benchtime 200x ./core/auth/ (docs/benchmarks.md).
func BenchmarkSignIn(b *testing.B) {
	db := coretest.NewDB(b)
	store := postgres.NewAccounts(db.DB)
	s, err := auth.New(auth.Config{JWTSecret: secret, Autoconfirm: true, PerAccount: auth.Rate{N: 1 << 30, Period: time.Minute}}, store)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := s.SignUp(ctx, "bench@example.com", "correct horse", nil, auth.Client{}); err != nil {
		b.Fatal(err)
	}
	b.Run("sign-in", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.SignIn(ctx, "bench@example.com", "correct horse", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yardstick-account-read", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.AccountByEmail(ctx, "bench@example.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
