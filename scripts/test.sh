#!/usr/bin/env bash
# test.sh — everything `make test` promises: a throwaway PostgreSQL cluster, gofmt, go vet,
# staticcheck and `go test -race -count=1 ./...`; the cluster is stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/bizconnect-test.XXXXXX")
cleanup() { scripts/pg.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT

# a free port: the first from 55433 that nothing listens on
port=55433
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

echo "==> starting a throwaway PostgreSQL on 127.0.0.1:$port"
pgenv=$(PG_FSYNC=off scripts/pg.sh start "$dir/pg" "$port") || { echo "test.sh: PostgreSQL did not start:" >&2; tail -5 "$dir/pg/server.log" >&2; exit 1; }
eval "$pgenv"
export BC_TEST_DATABASE_URL DATABASE_URL DATABASE_ADMIN_URL

# supabase-js, for the test that runs it against the auth API: Node from Debian's packages when
# missing, the package from the npm registry as its lock file pins it
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=$(command -v sudo || true)
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    echo "==> installing Node from Debian's packages"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
fi
if command -v npm >/dev/null 2>&1 && [ ! -d testdata/supabase-js/node_modules/@supabase/supabase-js ]; then
  echo "==> npm ci (testdata/supabase-js)"
  npm ci --silent --no-audit --no-fund --prefix testdata/supabase-js
fi

echo "==> gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
echo "==> go vet"
go vet ./...
echo "==> staticcheck"
go tool staticcheck ./...
echo "==> go test -race -count=1 ./..."
go test -race -count=1 ./...
