#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   devservices/postgres.sh start    start (or reuse) the cluster, print its URL
#   devservices/postgres.sh url      print the URL of the running cluster
#   devservices/postgres.sh status   exit 0 and print the URL if running, 1 if not
#   devservices/postgres.sh stop     stop it and delete its data (safe to repeat)
#
# The cluster lives under .devservices/postgres/ (git-ignored), listens only on
# 127.0.0.1 on a free port, trusts local connections, runs with fsync=off and
# holds one database, marketplace_test. The URL it prints is
#   postgresql+psycopg://postgres@127.0.0.1:PORT/marketplace_test
# and is also written to .devservices/postgres/url.
#
# When the server binaries are missing they are installed from Debian packages
# (apt-get install postgresql). The server refuses to run as root, so as root
# the cluster is owned and run by the unprivileged 'postgres' system user.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${PG_STATE_DIR:-$ROOT/.devservices/postgres}"
URL_FILE="$STATE_DIR/url"
PORT_FILE="$STATE_DIR/port"
DATADIR_FILE="$STATE_DIR/datadir"
DB_NAME="marketplace_test"
DB_SUPERUSER="postgres"
RUN_AS="${PG_RUN_AS:-postgres}"   # OS user that owns the cluster when we are root
START_TIMEOUT="${PG_START_TIMEOUT:-60}"

SERVICE="postgres.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a server-side command as the cluster's owner.
as_owner() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$RUN_AS" -- "$@"
        else
            su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# The bin directory of the newest installed server (Debian layout first).
find_bindir() {
    local dir best=""
    # Sort numerically by version so that 9.6 < 13 < 15 < 100.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5V); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            best="$dir"
        fi
    done
    if [ -z "$best" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        best="$(dirname "$(command -v pg_ctl)")"   # non-Debian layouts: on the PATH
    fi
    printf '%s' "$best"
}

install_postgres() {
    log "PostgreSQL server binaries not found; installing the Debian package 'postgresql'..."
    command -v apt-get >/dev/null 2>&1 ||
        die "PostgreSQL is not installed and apt-get is unavailable. Install the PostgreSQL server (initdb, pg_ctl) and retry."
    local sudo=""
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 ||
            die "PostgreSQL is not installed and installing it needs root (no sudo found). Run: apt-get install -y postgresql"
        sudo="sudo"
    fi
    # Do not let the package create and start its own 'main' cluster on port 5432:
    # we only need the binaries.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        $sudo mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
        die "apt-get update failed; cannot install PostgreSQL."
    # UCF_FORCE_CONFFOLD / force-confold: keep our createcluster.conf without asking.
    $sudo env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -q \
        --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        postgresql >&2 ||
        die "apt-get install postgresql failed."
}

ensure_owner_user() {
    is_root || return 0
    if ! id -u "$RUN_AS" >/dev/null 2>&1; then
        log "creating system user '$RUN_AS' to run the server (it refuses to run as root)"
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_AS" ||
            die "could not create the system user '$RUN_AS'."
    fi
}

# Where the data directory and the server log go: inside the repository when the
# owner can reach it, otherwise a private folder under /tmp (e.g. a repository
# under /root, which the 'postgres' user cannot enter).
pick_rundir() {
    local candidate="$STATE_DIR"
    if is_root && ! as_owner test -x "$STATE_DIR" 2>/dev/null; then
        candidate="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-pg.XXXXXX")"
        chmod 755 "$candidate"
        log "'$RUN_AS' cannot reach $STATE_DIR; using $candidate for the data"
    fi
    printf '%s' "$candidate"
}

current_datadir() {
    if [ -f "$DATADIR_FILE" ]; then cat "$DATADIR_FILE"; fi
}

is_running() {
    local datadir port bindir
    datadir="$(current_datadir)"
    [ -n "$datadir" ] && [ -f "$datadir/postmaster.pid" ] && [ -f "$PORT_FILE" ] || return 1
    port="$(cat "$PORT_FILE")"
    bindir="$(find_bindir)"
    [ -n "$bindir" ] || return 1
    as_owner "$bindir/pg_ctl" status -D "$datadir" >/dev/null 2>&1 || return 1
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -d "$DB_NAME" -U "$DB_SUPERUSER" >/dev/null 2>&1
}

make_url() {
    printf 'postgresql+psycopg://%s@127.0.0.1:%s/%s' "$DB_SUPERUSER" "$1" "$DB_NAME"
}

show_log_tail() {
    local logfile
    for logfile in "$@"; do
        if [ -s "$logfile" ]; then
            printf -- '--- last lines of %s ---\n' "$logfile" >&2
            tail -n 30 "$logfile" >&2 || true
            printf -- '---\n' >&2
        fi
    done
}

remove_datadir() {
    local datadir="$1"
    [ -n "$datadir" ] || return 0
    case "$datadir" in
        "$STATE_DIR"/data) rm -rf -- "$datadir" ;;
        "${TMPDIR:-/tmp}"/marketplace-pg.*/data) rm -rf -- "$(dirname "$datadir")" ;;
        *) log "not deleting unexpected data directory $datadir" ;;
    esac
}

cmd_start() {
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi

    if is_running; then
        log "reusing the running cluster"
        cat "$URL_FILE"
        return 0
    fi

    local bindir
    bindir="$(find_bindir)"
    if [ -z "$bindir" ]; then
        install_postgres
        bindir="$(find_bindir)"
        [ -n "$bindir" ] || die "PostgreSQL was installed but no initdb/pg_ctl found under /usr/lib/postgresql/*/bin."
    fi
    ensure_owner_user

    # A stale cluster from an earlier run (crashed, or the machine rebooted): discard it.
    local old
    old="$(current_datadir)"
    if [ -n "$old" ] && [ -d "$old" ]; then
        as_owner "$bindir/pg_ctl" stop -D "$old" -m immediate >/dev/null 2>&1 || true
        remove_datadir "$old"
    fi
    rm -f "$URL_FILE" "$PORT_FILE" "$DATADIR_FILE"

    chmod 755 "$STATE_DIR"
    local rundir datadir logfile port
    rundir="$(pick_rundir)"
    datadir="$rundir/data"
    logfile="$rundir/server.log"
    mkdir -p "$datadir"
    chmod 700 "$datadir"
    : >"$logfile"
    if is_root; then chown "$RUN_AS" "$datadir" "$logfile"; fi
    printf '%s' "$datadir" >"$DATADIR_FILE"

    log "initdb ($bindir) in $datadir"
    as_owner "$bindir/initdb" -D "$datadir" -U "$DB_SUPERUSER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$STATE_DIR/initdb.log" 2>&1 ||
        as_owner "$bindir/initdb" -D "$datadir" -U "$DB_SUPERUSER" --auth=trust \
            --encoding=UTF8 --locale=C >"$STATE_DIR/initdb.log" 2>&1 || {
        cat "$STATE_DIR/initdb.log" >&2 || true
        die "initdb failed (see $STATE_DIR/initdb.log)."
    }

    local attempt
    for attempt in 1 2 3; do
        port="$(free_port)"
        log "starting on 127.0.0.1:$port (attempt $attempt)"
        # No Unix socket: TCP on 127.0.0.1 only. fsync off: throwaway test data.
        if as_owner "$bindir/pg_ctl" start -D "$datadir" -l "$logfile" -w -t "$START_TIMEOUT" \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >"$STATE_DIR/pg_ctl.log" 2>&1 9>&-; then   # 9>&-: the server must not inherit the lock
            break
        fi
        port=""
        # The port may have been taken between choosing and binding it; try another.
        as_owner "$bindir/pg_ctl" stop -D "$datadir" -m immediate >/dev/null 2>&1 || true
    done
    if [ -z "$port" ]; then
        show_log_tail "$STATE_DIR/pg_ctl.log" "$logfile"
        die "the PostgreSQL server did not start (log: $logfile)."
    fi
    printf '%s' "$port" >"$PORT_FILE"

    local waited=0
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$DB_SUPERUSER" -d postgres; do
        waited=$((waited + 1))
        if [ "$waited" -gt "$START_TIMEOUT" ]; then
            show_log_tail "$logfile"
            die "PostgreSQL on port $port is not accepting connections after ${START_TIMEOUT}s."
        fi
        sleep 1
    done

    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$DB_SUPERUSER" -E UTF8 -T template0 "$DB_NAME" ||
        die "could not create the database $DB_NAME."

    local url
    url="$(make_url "$port")"
    printf '%s\n' "$url" >"$URL_FILE"
    log "ready: $url"
    printf '%s\n' "$url"
}

cmd_stop() {
    mkdir -p "$STATE_DIR"
    local datadir bindir
    datadir="$(current_datadir)"
    if [ -z "$datadir" ] || [ ! -d "$datadir" ]; then
        rm -f "$URL_FILE" "$PORT_FILE" "$DATADIR_FILE"
        log "not running"
        return 0
    fi
    bindir="$(find_bindir)"
    if [ -n "$bindir" ] && [ -f "$datadir/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" stop -D "$datadir" -m fast -w -t 60 >/dev/null 2>&1 ||
            as_owner "$bindir/pg_ctl" stop -D "$datadir" -m immediate -w -t 30 >/dev/null 2>&1 ||
            log "pg_ctl stop reported an error (already stopped?)"
    fi
    remove_datadir "$datadir"
    rm -f "$URL_FILE" "$PORT_FILE" "$DATADIR_FILE"
    log "stopped"
}

cmd_url() {
    if is_running; then
        cat "$URL_FILE"
    else
        die "PostgreSQL is not running; run: devservices/postgres.sh start"
    fi
}

dispatch "$@"
