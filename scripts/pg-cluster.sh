#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for tests.
#
#   scripts/pg-cluster.sh start DIR   start a cluster in DIR (fresh, under /tmp); prints its URL
#   scripts/pg-cluster.sh stop DIR    stop it and delete DIR (idempotent)
#   scripts/pg-cluster.sh bindir      print the PostgreSQL server bin dir; exit 1 if there is none
#
# stdout carries only the URL (start) or the bin dir (bindir); everything else goes to stderr.
set -euo pipefail

readonly MARKER=.senga-pg-cluster
readonly PG_USER=postgres

log() { printf 'pg-cluster: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

find_bindir() {
	local d
	# libpq-dev ships a pg_config without the server, so check for the server binaries.
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			printf '%s\n' "$d"
			return 0
		fi
	fi
	while IFS= read -r d; do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			printf '%s\n' "$d"
			return 0
		fi
	done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -Vr)
	return 1
}

# Only whitespace-free paths under /tmp: DIR goes into pg_ctl -o and is later rm -rf'd.
check_dir() {
	local dir=$1
	[[ $dir =~ ^/tmp/[A-Za-z0-9._/+-]+$ && $dir != *..* ]] ||
		die "DIR must be a plain path under /tmp (no spaces, no '..'): $dir"
}

# initdb refuses to run as root, so root runs everything as the cluster's owner.
as_user() {
	local user=$1
	shift
	if [[ $EUID -eq 0 && $user != root ]]; then
		runuser -u "$user" -- "$@"
	else
		"$@"
	fi
}

free_port() {
	local py
	py=$(command -v python3 || command -v python || true)
	if [[ -n $py ]]; then
		"$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
	else
		# The start loop retries if this port turns out to be taken.
		echo $((20000 + RANDOM % 40000))
	fi
}

show_logs() {
	local dir=$1 f files=(pg_ctl.log server.log)
	# initdb's log only matters if the failure came before the server was started.
	[[ -e $dir/server.log ]] || files=(initdb.log)
	for f in "${files[@]}"; do
		if [[ -s $dir/$f ]]; then
			log "--- last lines of $dir/$f ---"
			tail -n 40 "$dir/$f" >&2 || true
		fi
	done
}

# True for a live (not zombie) postgres process: a stale postmaster.pid must not make us wait.
postmaster_alive() {
	local pid=$1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]] || return 1
	[[ $(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) != Z ]]
}

stop_cluster() {
	local dir=$1 data=$1/data owner bindir pid
	[[ -d $dir ]] || return 0
	if [[ ! -e $dir/$MARKER && -n $(ls -A "$dir") ]]; then
		die "$dir is not a cluster made by this script; not deleting it"
	fi
	pid=$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)
	if postmaster_alive "$pid"; then
		owner=$(stat -c %U "$data")
		if bindir=$(find_bindir); then
			as_user "$owner" "$bindir/pg_ctl" -D "$data" -m immediate -w -t 10 stop >&2 ||
				log "pg_ctl stop failed"
		fi
		# Last resort for a hung server or missing binaries, so that rm -rf cannot race it.
		if postmaster_alive "$pid"; then
			log "killing postmaster $pid"
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.5
		fi
	fi
	# Orphaned children of a killed postmaster may still be writing for a moment.
	rm -rf -- "$dir" 2>/dev/null || {
		sleep 1
		rm -rf -- "$dir"
	}
}

CLEANUP_DIR=""
on_exit() {
	local rc=$?
	if [[ -n $CLEANUP_DIR ]]; then
		((rc != 0)) || rc=1
		show_logs "$CLEANUP_DIR"
		CLEANUP_DIR_NOW=$CLEANUP_DIR
		CLEANUP_DIR=""
		stop_cluster "$CLEANUP_DIR_NOW" || true
	fi
	exit "$rc"
}

cmd_start() {
	local dir=$1 bindir owner port url attempt locale
	check_dir "$dir"
	if [[ -e $dir || -L $dir ]]; then
		[[ -d $dir && ! -L $dir && -z $(ls -A "$dir") ]] ||
			die "DIR must be a fresh (missing or empty) directory: $dir"
	fi
	bindir=$(find_bindir) || die "PostgreSQL server binaries not found (install postgresql)"

	owner=$(id -un)
	if [[ $EUID -eq 0 ]]; then
		id -u "$PG_USER" >/dev/null 2>&1 || die "running as root but there is no '$PG_USER' user"
		owner=$PG_USER
	fi

	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -p "$dir"
	CLEANUP_DIR=$dir
	: >"$dir/$MARKER"
	[[ $EUID -ne 0 ]] || chown "$PG_USER:" "$dir"

	# C.UTF-8 is missing on some older systems; C always exists.
	for locale in C.UTF-8 C; do
		if as_user "$owner" "$bindir/initdb" --no-sync -A trust -U postgres -E UTF8 \
			--locale="$locale" -D "$dir/data" >"$dir/initdb.log" 2>&1; then
			break
		fi
		[[ $locale != C ]] || die "initdb failed"
		log "initdb with locale $locale failed; retrying with locale C"
		rm -rf -- "$dir/data"
	done

	# A port picked free can be taken by someone else before the server binds it.
	for attempt in 1 2 3; do
		port=$(free_port)
		if as_user "$owner" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
			-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" \
			>>"$dir/pg_ctl.log" 2>&1; then
			break
		fi
		if ((attempt < 3)) && grep -q 'Address already in use' "$dir/server.log" 2>/dev/null; then
			log "port $port was taken; retrying on another port"
			as_user "$owner" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
			mv -f "$dir/server.log" "$dir/server.log.$attempt"
			continue
		fi
		die "pg_ctl start failed (port $port)"
	done

	"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 ||
		die "server started but does not answer on 127.0.0.1:$port"

	url="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
	CLEANUP_DIR=""
	printf '%s\n' "$url"
}

cmd_stop() {
	local dir=$1
	check_dir "$dir"
	stop_cluster "$dir"
}

usage() {
	echo "usage: $0 start DIR | stop DIR | bindir" >&2
	exit 2
}

main() {
	(($# >= 1)) || usage
	local cmd=$1 dir
	shift
	case $cmd in
	bindir)
		(($# == 0)) || usage
		find_bindir
		;;
	start | stop)
		(($# == 1)) || usage
		dir=$(realpath -m -- "$1")
		# The postgres user cannot enter the caller's working directory (e.g. /root).
		cd /
		"cmd_$cmd" "$dir"
		;;
	*) usage ;;
	esac
}

main "$@"
