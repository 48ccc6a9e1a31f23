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
