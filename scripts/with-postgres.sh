#!/usr/bin/env bash
# scripts/with-postgres.sh DBNAME VAR[,VAR...] -- COMMAND [ARGS...]
#
# Runs COMMAND with every VAR set to the URL of database DBNAME on the private
# cluster of scripts/postgres.sh (installed, initialised and started as
# needed). When the first VAR is already set in the environment, the cluster
# is left alone and COMMAND runs against that database.
#
# The cluster is stopped afterwards only if this invocation started it, so a
# developer's running cluster (make run in another terminal) keeps running.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[[ $# -ge 4 && "$3" == "--" ]] || { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
name="$1"
IFS=, read -r -a vars <<<"$2"
shift 3

if [[ -n "${!vars[0]:-}" ]]; then
	echo "with-postgres.sh: using ${vars[0]} from the environment" >&2
	for v in "${vars[@]}"; do export "$v=${!v:-${!vars[0]}}"; done
	exec "$@"
fi

"$SCRIPTS/postgres.sh" ensure
started=""
if ! "$SCRIPTS/postgres.sh" status; then
	started=1
fi
url="$("$SCRIPTS/postgres.sh" start "$name")"
for v in "${vars[@]}"; do export "$v=$url"; done
echo "with-postgres.sh: ${vars[*]}=$url" >&2

if [[ -z "$started" ]]; then
	exec "$@"
fi

# We started the cluster: stop it whatever happens to COMMAND. COMMAND runs
# in its own process group (set -m) so that a signal reaches all of it (go test
# and the test binaries it spawned), then the cluster stops.
child=""
forward() { [[ -n "$child" ]] && kill "-$1" -- "-$child" 2>/dev/null || true; }
trap 'forward INT' INT
trap 'forward TERM' TERM
trap '"$SCRIPTS/postgres.sh" stop' EXIT
set -m
"$@" &
child=$!
set +m
status=0
while :; do
	wait "$child" && status=0 || status=$?
	# wait returns early (status > 128) when a trapped signal arrives.
	kill -0 "$child" 2>/dev/null || break
done
# Leftovers of the group (a test binary orphaned by go test) must not keep
# using the cluster we are about to stop.
kill -TERM -- "-$child" 2>/dev/null || true
exit "$status"
