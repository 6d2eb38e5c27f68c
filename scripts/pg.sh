#!/usr/bin/env bash
# pg.sh — a private PostgreSQL cluster for development and tests, with nothing but the machine's
# PostgreSQL binaries. Usage:
#   scripts/pg.sh start DIR PORT   initialise (once) and start a cluster in DIR on 127.0.0.1:PORT,
#                                  create the roles and the database, print export lines for the URLs
#   scripts/pg.sh stop DIR         stop the cluster in DIR
#   scripts/pg.sh env DIR PORT     print the export lines only
# The server runs as the invoking user, or as `postgres` when invoked as root (initdb refuses root).
set -euo pipefail

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin /usr/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

ensure_binaries() {
  if BINDIR=$(find_bindir); then return 0; fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    echo "pg.sh: PostgreSQL not found; installing Debian's postgresql package" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
    BINDIR=$(find_bindir) && return 0
  fi
  cat >&2 <<'MSG'
pg.sh: PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them, then run this again:
  Debian/Ubuntu:  sudo apt-get install -y postgresql
  Fedora/RHEL:    sudo dnf install -y postgresql-server
  macOS:          brew install postgresql@16
Or set DATABASE_URL to an existing database.
MSG
  exit 1
}

# as_owner runs a command as the cluster's OS user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

print_env() {
  local port=$1
  echo "export DATABASE_URL='postgres://bizconnect_app@127.0.0.1:$port/bizconnect?sslmode=disable'"
  echo "export DATABASE_ADMIN_URL='postgres://bizconnect@127.0.0.1:$port/bizconnect?sslmode=disable'"
  echo "export BC_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"
}

start() {
  local dir=$1 port=$2
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    chown postgres "$dir"
    # the server must be able to reach its data directory through every parent
    local p=$dir
    while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$BINDIR/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$BINDIR/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$BINDIR/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300 -c fsync=${PG_FSYNC:-on} -c shared_buffers=256MB" >/dev/null
  fi
  local psql="$BINDIR/psql"
  [ -x "$psql" ] || psql=psql
  "$psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres >/dev/null <<'SQL'
SET client_min_messages = warning;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bizconnect') THEN
    CREATE ROLE bizconnect LOGIN CREATEROLE CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bizconnect_app') THEN
    -- the runtime role: logs in, owns nothing, has no privileges of its own (NOINHERIT); it may only
    -- SET ROLE to anon, authenticated or service_role inside a transaction.
    CREATE ROLE bizconnect_app LOGIN NOINHERIT;
  END IF;
END $$;
GRANT anon, authenticated, service_role TO bizconnect_app;
GRANT anon, authenticated, service_role TO bizconnect WITH ADMIN OPTION;
SQL
  if ! "$psql" -tA -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "SELECT 1 FROM pg_database WHERE datname='bizconnect'" | grep -q 1; then
    "$psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE bizconnect OWNER bizconnect" >/dev/null
  fi
  print_env "$port"
}

stop() {
  local dir=$1
  [ -f "$dir/PG_VERSION" ] || return 0
  BINDIR=$(find_bindir) || return 0
  as_owner "$BINDIR/pg_ctl" -D "$(cd "$dir" && pwd)" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  env) print_env "$3" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR | env DIR PORT" >&2; exit 2 ;;
esac
