#!/usr/bin/env bash
# scripts/run.sh [ARGS...]   (make run)
#
# Builds the app and runs `assistant-declaration serve ARGS...` in the
# foreground with APP_MODE=dev (the app migrates and seeds demo data).
# Without DATABASE_URL it uses database assistant_declaration on the private
# cluster of scripts/postgres.sh, started on demand. Ctrl-C (or SIGTERM) stops
# the app, then the cluster if this run started it; the data stays in .data/,
# so the next `make run` finds it again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export APP_MODE="${APP_MODE:-dev}"
export PORT="${PORT:-8080}"

mkdir -p .data/bin
echo "run.sh: building" >&2
go build -o .data/bin/assistant-declaration .

child=""
stop_cluster=""
cleanup() {
	if [[ -n "$stop_cluster" ]]; then
		scripts/postgres.sh stop || true
	fi
}
forward() { [[ -n "$child" ]] && kill -TERM -- "-$child" 2>/dev/null || true; }
trap cleanup EXIT
trap forward INT TERM

if [[ -z "${DATABASE_URL:-}" ]]; then
	scripts/postgres.sh ensure
	scripts/postgres.sh status || stop_cluster=1
	DATABASE_URL="$(scripts/postgres.sh start assistant_declaration)"
	export DATABASE_URL
fi
echo "run.sh: APP_MODE=$APP_MODE PORT=$PORT DATABASE_URL=$DATABASE_URL" >&2

# Background + wait so the traps run while the app is up. The app has its own
# process group (set -m): on Ctrl-C/SIGTERM it gets one SIGTERM from us, shuts
# down gracefully, then the cluster stops.
set -m
.data/bin/assistant-declaration serve "$@" &
child=$!
set +m
status=0
while :; do
	wait "$child" && status=0 || status=$?
	kill -0 "$child" 2>/dev/null || break
done
exit "$status"
