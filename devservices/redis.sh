#!/usr/bin/env bash
# A throwaway Redis server for the job runner's tests (and `make run` with REDIS_URL).
#
#   devservices/redis.sh start    start (or reuse) it, print its URL
#   devservices/redis.sh url      print the URL of the running server
#   devservices/redis.sh status   exit 0 and print the URL if running, 1 if not
#   devservices/redis.sh stop     stop it (safe to repeat)
#
# redis-server comes from the Debian package (apt-get install redis-server, as root
# or with sudo). The server listens on 127.0.0.1 on a free port, keeps nothing on
# disk, and is daemonised with its pid file under .devservices/redis/; the URL it
# prints, redis://127.0.0.1:PORT/0, is what the tests read from REDIS_TEST_URL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${REDIS_STATE_DIR:-$ROOT/.devservices/redis}"
PID_FILE="$STATE_DIR/pid"
URL_FILE="$STATE_DIR/url"
LOG_FILE="$STATE_DIR/server.log"
START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"

SERVICE="redis.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

install_server() {
    command -v redis-server >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "redis-server is not installed and apt-get is unavailable. Install Redis (redis-server) and retry."
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "redis-server is not installed and installing it needs root (no sudo found). Run: apt-get install -y redis-server"
        sudo="sudo"
    fi
    log "installing redis-server (Debian package)"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
        die "apt-get update failed; cannot install redis-server."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        redis-server >&2 || die "apt-get install redis-server failed."
}

port_of() { sed -E 's|.*:([0-9]+)/.*|\1|' "$URL_FILE"; }

answers() { [ "$(redis-cli -p "$1" ping 2>/dev/null)" = "PONG" ]; }

is_running() {
    [ -f "$PID_FILE" ] && [ -f "$URL_FILE" ] || return 1
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || return 1
    answers "$(port_of)"
}

cmd_start() {
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    if is_running; then
        log "reusing the running server"
        cat "$URL_FILE"
        return 0
    fi
    cmd_stop 2>/dev/null
    install_server
    local attempt port url waited
    for attempt in 1 2 3; do
        port="$(free_port)"
        log "starting on 127.0.0.1:$port (attempt $attempt)"
        redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
            --daemonize yes --pidfile "$PID_FILE" --logfile "$LOG_FILE" \
            --dir "$STATE_DIR" 9>&- >&2 || true
        url="redis://127.0.0.1:$port/0"
        waited=0
        while [ "$waited" -lt "$START_TIMEOUT" ]; do
            if answers "$port" && [ -f "$PID_FILE" ]; then
                printf '%s\n' "$url" >"$URL_FILE"
                log "ready: $url"
                printf '%s\n' "$url"
                return 0
            fi
            sleep 0.5
            waited=$((waited + 1))
        done
        cmd_stop 2>/dev/null
    done
    tail -n 20 "$LOG_FILE" >&2 || true
    die "redis-server did not start (log: $LOG_FILE)."
}

cmd_stop() { stop_pid_file "$PID_FILE" "$URL_FILE"; }

cmd_url() {
    is_running || die "Redis is not running; run: devservices/redis.sh start"
    cat "$URL_FILE"
}

describe() { printf ' (%s)' "$(redis-server --version | cut -d' ' -f3)"; }

dispatch "$@"
