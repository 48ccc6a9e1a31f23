# What the service scripts share (sourced, not run). Set SERVICE to the script's name first.

log() { printf '%s: %s\n' "$SERVICE" "$*" >&2; }

die() {
    printf '\n%s: ERROR: %s\n\n' "$SERVICE" "$*" >&2
    exit 1
}

# A free TCP port on 127.0.0.1.
free_port() {
    local py
    for py in python3 python "$ROOT/.venv/bin/python"; do
        if command -v "$py" >/dev/null 2>&1 || [ -x "$py" ]; then
            "$py" - <<'PY'
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
            return
        fi
    done
    die "python3 is needed to find a free port."
}

# Run "$@" in a session of its own (setsid): a terminal's Ctrl-C goes to its foreground
# process group, which `make run` and what it starts in the background share; a service
# that takes SIGINT back from the ignored state bash leaves it in (Mailpit, Go) stopped
# with the server. Launched as `detached CMD... &`: without job control the background
# job leads no group, so setsid does not fork and $! stays the service's pid.
detached() {
    if command -v setsid >/dev/null 2>&1; then
        exec setsid "$@"
    fi
    exec "$@"
}

# Stop the process of PID_FILE (TERM, then KILL after two seconds), then remove FILES...
stop_pid_file() {
    local pid_file="$1"
    shift
    if [ -f "$pid_file" ]; then
        local pid
        pid="$(cat "$pid_file")"
        if kill "$pid" 2>/dev/null; then
            for _ in 1 2 3 4 5 6 7 8 9 10; do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.2
            done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pid_file" "$@"
    log "stopped"
}

# Build a Go command once: go_install MODULE@VERSION BIN_DIR (the binary lands in BIN_DIR).
go_install() {
    local module="$1" bin_dir="$2" go candidate
    for candidate in "${GO:-}" go /usr/local/go/bin/go /usr/lib/go/bin/go; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            go="$(command -v "$candidate")"
            break
        fi
    done
    [ -n "${go:-}" ] || die "Go is needed to build $module (go install); install Go >= 1.21."
    log "building $module with $go ($("$go" version 2>/dev/null || echo '?'))"
    mkdir -p "$bin_dir" "$STATE_DIR/gopath"
    GOBIN="$bin_dir" GOPATH="$STATE_DIR/gopath" GOFLAGS="-modcacherw" \
        "$go" install "$module" >&2 || die "go install $module failed."
}

# The HTTP services (stripe-mock, Mailpit) define STATE_DIR, PID_FILE, URL_FILE,
# LOG_FILE, START_TIMEOUT and: install_binary, answers URL, launch PORT (starts the
# server in the background and writes PID_FILE), on_ready (after it answers).

is_running() {
    [ -f "$PID_FILE" ] && [ -f "$URL_FILE" ] || return 1
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || return 1
    answers "$(cat "$URL_FILE")"
}

# Start (or reuse) the server on a free port, three attempts; print its URL.
start_http_service() {
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    if is_running; then
        log "reusing the running server"
        cat "$URL_FILE"
        return 0
    fi
    if [ -f "$PID_FILE" ]; then
        kill "$(cat "$PID_FILE")" 2>/dev/null || true
    fi
    rm -f "$PID_FILE" "$URL_FILE"
    install_binary
    local attempt port url waited
    for attempt in 1 2 3; do
        port="$(free_port)"
        log "starting on 127.0.0.1:$port (attempt $attempt)"
        launch "$port"
        url="http://127.0.0.1:$port"
        waited=0
        while [ "$waited" -lt "$START_TIMEOUT" ]; do
            if answers "$url"; then
                printf '%s\n' "$url" >"$URL_FILE"
                on_ready
                log "ready: $url"
                printf '%s\n' "$url"
                return 0
            fi
            kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break
            sleep 0.5
            waited=$((waited + 1))
        done
        kill "$(cat "$PID_FILE")" 2>/dev/null || true
        rm -f "$PID_FILE"
    done
    tail -n 20 "$LOG_FILE" >&2 || true
    die "the server did not start (log: $LOG_FILE)."
}

cmd_url() {
    is_running || die "not running; run: devservices/$SERVICE start"
    cat "$URL_FILE"
}

# `status`: the URL and what the script's `describe` (if any) adds, e.g. " (Redis 7.0.15)".
cmd_status() {
    if is_running; then
        printf 'running: %s%s\n' "$(cat "$URL_FILE")" "$(describe 2>/dev/null || true)"
    else
        echo "not running"
        return 1
    fi
}

# dispatch "$@": run the script's cmd_<command>, or print the commands it has.
dispatch() {
    local command="${1:-}" commands
    if [ -n "$command" ] && declare -F "cmd_$command" >/dev/null; then
        "cmd_$command"
        return
    fi
    commands="$(declare -F | awk '$3 ~ /^cmd_/ { sub(/^cmd_/, "", $3); print $3 }' | paste -sd'|')"
    echo "usage: $0 $commands" >&2
    exit 2
}
