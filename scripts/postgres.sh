#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests, kept under the
# repository in .data/ (never the system cluster on 5432).
#
#   scripts/postgres.sh ensure       install PostgreSQL with apt if initdb is missing
#   scripts/postgres.sh start NAME   init (once) + start the cluster, create database
#                                    NAME if missing, print its URL on stdout
#   scripts/postgres.sh stop         stop the cluster (pg_ctl stop -m fast)
#   scripts/postgres.sh destroy      stop, then delete the cluster data
#   scripts/postgres.sh status       exit 0 when the cluster runs, 3 otherwise
#   scripts/postgres.sh url NAME     print the URL of database NAME
#
# Layout: .data/postgres (data dir), .data/pgrun (unix socket + server log),
# .data/postgres.port (the port, chosen once among free ports and reused).
# The server listens on 127.0.0.1 only with trust authentication for user
# postgres: DEVELOPMENT/TEST ONLY. It also runs with fsync=off and
# synchronous_commit=off, so a machine crash can corrupt it (`make clean-db`).
#
# As root, the server runs as the `postgres` OS user (initdb refuses root). If
# that user cannot reach .data/ (a repository under /root, mode 700), the data
# and run directories live in /var/lib/postgresql/assistant-declaration/<hash>
# and .data/postgres, .data/pgrun are symlinks to them. As any other user,
# everything runs as that user.
#
# Only stdout carries the URL; messages go to stderr, so
#   DATABASE_URL="$(scripts/postgres.sh start assistant_declaration)"
# works. PGBIN can point at a PostgreSQL bin directory to force a version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
PGDATA_LINK="$DATA/postgres"
PGRUN_LINK="$DATA/pgrun"
PORT_FILE="$DATA/postgres.port"
LOCK_FILE="$DATA/postgres.lock"

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# pgbin prints the directory holding initdb/pg_ctl/postgres, or fails.
pgbin() {
	if [[ -n "${PGBIN:-}" ]]; then
		[[ -x "$PGBIN/pg_ctl" ]] || return 1
		echo "$PGBIN"
		return 0
	fi
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
			echo "$d"
			return 0
		fi
	done
	if command -v initdb >/dev/null 2>&1; then
		d="$(dirname "$(readlink -f "$(command -v initdb)")")"
		if [[ -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
			echo "$d"
			return 0
		fi
	fi
	return 1
}

# contrib_ok checks the extensions the migrations use are installed.
contrib_ok() {
	local bin="$1" share
	share="$("$bin/pg_config" --sharedir 2>/dev/null || true)"
	if [[ -z "$share" ]]; then
		# Debian's pg_config lives in libpq-dev; derive the share dir from the version.
		share="/usr/share/postgresql/$(basename "$(dirname "$bin")")"
	fi
	local e
	for e in unaccent pg_trgm pgcrypto; do
		[[ -f "$share/extension/$e.control" ]] || return 1
	done
}

as_admin() { # run a command as root (directly, or with sudo when available)
	if is_root; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@" || die "cannot run '$*' (sudo needs a password?): install postgresql and postgresql-contrib yourself"
	else
		die "PostgreSQL is missing and you are not root: apt-get install postgresql postgresql-contrib"
	fi
}

cmd_ensure() {
	local bin
	if bin="$(pgbin)" && contrib_ok "$bin"; then
		return 0
	fi
	log "installing PostgreSQL (postgresql, postgresql-contrib) with apt"
	local had_clusters=""
	command -v pg_lsclusters >/dev/null 2>&1 && had_clusters="$(pg_lsclusters -h 2>/dev/null || true)"
	as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		postgresql postgresql-contrib >&2
	# The Debian package creates and starts a cluster `main` on 5432: we do
	# not use it, stop it if this installation just created it.
	if command -v pg_lsclusters >/dev/null 2>&1 && [[ -z "$had_clusters" ]]; then
		local ver name rest
		while read -r ver name rest; do
			[[ -n "$ver" ]] || continue
			log "stopping the system cluster $ver/$name created by the package (unused)"
			as_admin pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
		done < <(pg_lsclusters -h 2>/dev/null | awk '$4 == "online"')
	fi
	bin="$(pgbin)" || die "PostgreSQL installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"
	contrib_ok "$bin" || log "warning: unaccent/pg_trgm/pgcrypto not found in $bin's share dir"
}

# ---- running as the cluster owner -------------------------------------------

OWNER="$(id -un)"
if is_root; then OWNER=postgres; fi

as_owner() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

ensure_postgres_user() {
	is_root || return 0
	if ! id postgres >/dev/null 2>&1; then
		log "creating the postgres OS user"
		useradd --system --user-group --home-dir /var/lib/postgresql --create-home --shell /bin/sh postgres
	fi
}

# prepare_dirs creates the data and run directories, owned by OWNER, and sets
# PGDATA and PGRUN to their real paths (what the server process sees).
prepare_dirs() {
	mkdir -p "$DATA"
	if ! is_root; then
		mkdir -p "$PGDATA_LINK" "$PGRUN_LINK"
		chmod 700 "$PGDATA_LINK"
	elif [[ -L "$PGDATA_LINK" || -L "$PGRUN_LINK" ]]; then
		: # already relocated
	elif [[ -d "$PGDATA_LINK" ]] || runuser -u postgres -- test -x "$DATA"; then
		mkdir -p "$PGDATA_LINK" "$PGRUN_LINK"
		chown postgres: "$PGDATA_LINK" "$PGRUN_LINK"
		chmod 700 "$PGDATA_LINK"
	else
		# postgres cannot traverse to the repository: keep the cluster in a
		# directory it owns, one per checkout, and link it from .data/.
		local base
		base="/var/lib/postgresql/assistant-declaration/$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
		log "postgres cannot reach $DATA: cluster kept in $base (symlinked from .data/)"
		mkdir -p "$base/data" "$base/run"
		chown postgres: "$base" "$base/data" "$base/run" "$(dirname "$base")"
		chmod 700 "$base/data"
		ln -sfn "$base/data" "$PGDATA_LINK"
		ln -sfn "$base/run" "$PGRUN_LINK"
	fi
	if is_root; then
		# A relocated directory that vanished (reboot cleanup…): recreate it.
		local link target
		for link in "$PGDATA_LINK" "$PGRUN_LINK"; do
			if [[ -L "$link" ]]; then
				target="$(readlink "$link")"
				[[ -d "$target" ]] || { mkdir -p "$target"; chown postgres: "$target"; }
			fi
		done
	fi
	PGDATA="$(readlink -f "$PGDATA_LINK")"
	PGRUN="$(readlink -f "$PGRUN_LINK")"
	# Unix socket paths are limited to 107 bytes.
	if (( ${#PGRUN} > 80 )); then
		PGSOCK="/tmp/assistant-declaration-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
		mkdir -p "$PGSOCK"
		is_root && chown postgres: "$PGSOCK"
	else
		PGSOCK="$PGRUN"
	fi
}

port_in_use() { # port_in_use PORT: something accepts TCP connections on it
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

choose_port() {
	local start p i
	start=$(( 55000 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 4000 ))
	for (( i = 0; i < 4000; i++ )); do
		p=$(( 55000 + (start - 55000 + i) % 4000 ))
		if ! port_in_use "$p" && [[ ! -e "/tmp/.s.PGSQL.$p" ]]; then
			echo "$p"
			return 0
		fi
	done
	die "no free port in 55000-58999"
}

is_running() {
	[[ -f "$PGDATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

running_port() { # the port of the running server, from postmaster.pid line 4
	sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null
}

init_cluster() {
	[[ -f "$PGDATA/PG_VERSION" ]] && return 0
	local locale=C
	if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then locale=C.UTF-8; fi
	log "initdb $PGDATA (UTF8, locale $locale)"
	as_owner "$BIN/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale="$locale" \
		--auth-local=trust --auth-host=trust --no-instructions >"$PGRUN/initdb.log" 2>&1 ||
		{ cat "$PGRUN/initdb.log" >&2; die "initdb failed"; }
	# Loopback only, trust: development and tests only.
	as_owner tee "$PGDATA/pg_hba.conf" >/dev/null <<'HBA'
# Development/test cluster of scripts/postgres.sh: trust, loopback only.
local   all  all                trust
host    all  all  127.0.0.1/32  trust
host    all  all  ::1/128       trust
HBA
	as_owner tee -a "$PGDATA/postgresql.conf" >/dev/null <<'CONF'

# --- scripts/postgres.sh: DEVELOPMENT/TEST ONLY (unsafe on crash) ---
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
timezone = 'UTC'
log_timezone = 'UTC'
log_min_duration_statement = -1
CONF
}

with_lock() { # serialize start/stop between concurrent invocations
	mkdir -p "$DATA"
	exec 9>"$LOCK_FILE"
	flock 9
}

cmd_start() {
	local name="${1:-}"
	[[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "usage: start DBNAME (letters, digits, _)"
	BIN="$(pgbin)" || { cmd_ensure; BIN="$(pgbin)"; }
	ensure_postgres_user
	with_lock
	prepare_dirs
	init_cluster
	local port
	if is_running; then
		port="$(running_port)"
		[[ -n "$port" ]] || die "cannot read the port of the running cluster ($PGDATA/postmaster.pid)"
		echo "$port" >"$PORT_FILE"
	else
		port="$(cat "$PORT_FILE" 2>/dev/null || true)"
		if [[ -z "$port" ]]; then
			port="$(choose_port)"
			echo "$port" >"$PORT_FILE"
		elif port_in_use "$port"; then
			local old="$port"
			port="$(choose_port)"
			log "port $old is taken by another program: using $port from now on"
			echo "$port" >"$PORT_FILE"
		fi
		log "starting the cluster on 127.0.0.1:$port ($PGDATA)"
		if ! as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$PGRUN/postgres.log" -w -t 60 \
			-o "-p $port -k $PGSOCK -c listen_addresses=127.0.0.1" start >/dev/null 9>&-; then
			tail -n 30 "$PGRUN/postgres.log" >&2 || true
			die "the cluster did not start (log: $PGRUN/postgres.log)"
		fi
	fi
	local i
	for (( i = 0; i < 60; i++ )); do
		"$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
		sleep 0.5
	done
	"$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres || die "the cluster on port $port is not ready"
	if [[ -z "$("$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAc \
		"SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
		log "creating database $name"
		"$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Xq -v ON_ERROR_STOP=1 \
			-c "CREATE DATABASE \"$name\"" >&2
	fi
	print_url "$name" "$port"
}

cmd_stop() {
	BIN="$(pgbin)" || { log "PostgreSQL is not installed: nothing to stop"; return 0; }
	[[ -e "$PGDATA_LINK" ]] || { log "no cluster in $PGDATA_LINK"; return 0; }
	with_lock
	PGDATA="$(readlink -f "$PGDATA_LINK")"
	if is_running; then
		log "stopping the cluster ($PGDATA)"
		as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null 9>&-
	else
		log "the cluster is not running"
	fi
}

cmd_destroy() { # stop, then delete the data (following the symlinks of a relocated cluster)
	cmd_stop
	local link target
	for link in "$PGDATA_LINK" "$PGRUN_LINK"; do
		if [[ -L "$link" ]]; then
			target="$(readlink -f "$link")"
			[[ -n "$target" && "$target" == /var/lib/postgresql/assistant-declaration/* ]] && rm -rf "$target" && { rmdir "$(dirname "$target")" 2>/dev/null || true; }
		fi
		rm -rf "$link"
	done
	log "deleted the cluster data"
}

cmd_status() {
	BIN="$(pgbin)" || exit 3
	[[ -e "$PGDATA_LINK" ]] || exit 3
	PGDATA="$(readlink -f "$PGDATA_LINK")"
	is_running || exit 3
}

print_url() { # print_url NAME PORT
	echo "postgres://postgres@127.0.0.1:$2/$1?sslmode=disable"
}

cmd_url() {
	local name="${1:-}"
	[[ -n "$name" ]] || die "usage: url DBNAME"
	[[ -s "$PORT_FILE" ]] || die "no port yet: run scripts/postgres.sh start $name"
	print_url "$name" "$(cat "$PORT_FILE")"
}

case "${1:-}" in
ensure) cmd_ensure ;;
start) cmd_start "${2:-}" ;;
stop) cmd_stop ;;
destroy) cmd_destroy ;;
status) cmd_status ;;
url) cmd_url "${2:-}" ;;
*)
	sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
