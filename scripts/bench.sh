#!/usr/bin/env bash
# bench.sh — the figures in docs/benchmarks.md: a throwaway PostgreSQL with default (durable)
# settings, pgbench's built-in tpcb-like script with 8 clients as the yardstick, then the Go
# benchmarks of the parser (one core), the assistant end to end, the Telegram webhook path and
# the delivery worker killed with SIGKILL (CRASH_KILLS times, 1000 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/bizconnect-bench.XXXXXX")
cleanup() { scripts/pg.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT
port=55533
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
pgenv=$(scripts/pg.sh start "$dir/pg" "$port") || { echo "bench.sh: PostgreSQL did not start (see $dir/pg/server.log)" >&2; exit 1; }
eval "$pgenv"
export BC_TEST_DATABASE_URL

bindir=$(dirname "$(readlink -f "$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")")
pgbench="$bindir/pgbench"
[ -x "$pgbench" ] || pgbench=pgbench
super="postgres://postgres@127.0.0.1:$port"
psql -q "$super/postgres" -c "CREATE DATABASE pgbench" >/dev/null
echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "==> pgbench -i; pgbench -c 8 -j 2 -T ${PGBENCH_SECONDS:-15} (tpcb-like)"
"$pgbench" -i -q "$super/pgbench" >/dev/null 2>&1
"$pgbench" -c 8 -j 2 -T "${PGBENCH_SECONDS:-15}" "$super/pgbench" 2>/dev/null | grep -E 'tps|latency average'

echo "==> parser, one core"
go test -run '^$' -bench BenchmarkParse -benchmem -cpu 1 ./core/nlu/
echo "==> assistant: create-task messages end to end"
go test -run '^$' -bench BenchmarkAssistantCreateTask -benchtime 10000x ./core/chat/
echo "==> Telegram webhook: time to acknowledge while the assistant and the sender run"
go test -run '^$' -bench BenchmarkTelegramWebhook -benchtime 10000x .
echo "==> outbox: the crash window (platform's answer to our commit of Sent) against a bare round trip"
go test -run '^$' -bench 'BenchmarkOutboxSentWindow|BenchmarkRoundTrip' -benchtime 5000x ./core/postgres/
echo "==> a message's transaction with and without an LLM job scheduled in it, against a bare round trip"
go test -run '^$' -bench 'BenchmarkMessageTransaction|BenchmarkRoundTrip' -benchtime 400x -cpu 1 -count 4 ./core/postgres/
echo "==> planning: offline plan, placing, rebalancing, one core"
go test -run '^$' -bench 'BenchmarkOfflinePlan|BenchmarkPlace|BenchmarkRebalance' -benchtime 2s -cpu 1 ./core/plan/
echo "==> delivery: kill -9 the server ${CRASH_KILLS:-1000} times while it delivers; duplicates per kill, time to the first send after a restart"
go test -run '^$' -bench BenchmarkDeliveryKill -benchtime "${CRASH_KILLS:-1000}x" -timeout 60m .
echo "==> delivery: one kill mid-batch, then the drain"
go test -count=1 -run TestDeliveryResumesQuicklyAfterKill -v . | grep -E 'killed after|PASS|FAIL'
