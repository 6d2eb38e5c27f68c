#!/usr/bin/env bash
# run.sh — what `make run` does: use DATABASE_URL when set (from the environment or .env),
# otherwise start a private PostgreSQL under ./.data/pg; migrate; then start the assistant.
# With no platform token configured the server runs in the background (logs in ./.data/server.log)
# and this terminal becomes a chat with the assistant.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .env ]; then set -a; . ./.env; set +a; fi
mkdir -p .data

if [ -z "${DATABASE_URL:-}" ]; then
  echo "==> starting the local PostgreSQL in ./.data/pg (port ${PG_PORT:-55432})"
  pgenv=$(scripts/pg.sh start .data/pg "${PG_PORT:-55432}") || { echo "run.sh: PostgreSQL did not start; see .data/pg/server.log (another server on port ${PG_PORT:-55432}? set PG_PORT)" >&2; exit 1; }
  eval "$pgenv"
  export DATABASE_URL DATABASE_ADMIN_URL
fi

echo "==> migrating"
bin/bizconnect migrate up >>.data/migrate.log 2>&1 || { tail -20 .data/migrate.log; exit 1; }

if [ -n "${TELEGRAM_BOT_TOKEN:-}" ] || [ -n "${SLACK_BOT_TOKEN:-}" ] || [ -n "${SLACK_CLIENT_ID:-}" ] || [ "${1:-}" = serve ]; then
  exec bin/bizconnect serve
fi

bin/bizconnect serve >>.data/server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
echo "==> server on ${HTTP_ADDR:-:8080} (logs: .data/server.log); no platform token set, so let's chat here."
echo "    Type a message, e.g. \"завтра в 10 созвон с командой\" or \"goal: 50 clients by end of year\". Ctrl-D quits."
bin/bizconnect chat --user "${BC_CHAT_USER:-${USER:-me}}"
