#!/usr/bin/env bash
# Mailpit: a real SMTP server with a web UI and an API, for the mail the market sends.
#
#   devservices/mailpit.sh start    start (or reuse) it, print its web/API URL
#   devservices/mailpit.sh url      print the web/API URL of the running server
#   devservices/mailpit.sh smtp     print host:port of its SMTP server
#   devservices/mailpit.sh status   exit 0 and print the URLs if running, 1 if not
#   devservices/mailpit.sh stop     stop it (safe to repeat)
#
# The binary is built once with `go install github.com/axllent/mailpit@<version>`
# (Go module proxy; about a minute) into .devservices/mailpit/bin/. It listens on
# 127.0.0.1 on two free ports (web + API, SMTP) and keeps its messages in memory.
# MAILPIT_STATE_DIR starts another instance beside the first (its own ports and pid).
# The tests read MAILPIT_URL (the API) and MAILPIT_SMTP (host:port); `make run`
# points the app's MAIL_SERVER/MAIL_PORT at it and prints where to read the mail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${MAILPIT_STATE_DIR:-$ROOT/.devservices/mailpit}"
VERSION="${MAILPIT_VERSION:-v1.33.1}"
# One build serves every instance (make test runs a second one, with its own state dir).
BIN_DIR="${MAILPIT_BIN_DIR:-$ROOT/.devservices/mailpit/bin/$VERSION}"
BIN="$BIN_DIR/mailpit"
SMTP_FILE="$STATE_DIR/smtp"
PID_FILE="$STATE_DIR/pid"
URL_FILE="$STATE_DIR/url"
LOG_FILE="$STATE_DIR/server.log"
START_TIMEOUT="${MAILPIT_START_TIMEOUT:-30}"

SERVICE="mailpit.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

install_binary() {
    [ -x "$BIN" ] && return 0
    go_install "github.com/axllent/mailpit@$VERSION" "$BIN_DIR"
    [ -x "$BIN" ] || die "go install finished but $BIN is missing."
}

answers() {
    curl -fsS -o /dev/null "$1/api/v1/info" 2>/dev/null
}

launch() {
    SMTP_PORT="$(free_port)"
    # A session of its own: Ctrl-C on `make run` reaches its process group, and Mailpit
    # (Go, it handles SIGINT) stopped with the server; kept, the next `make run` reuses it.
    local detach=()
    if command -v setsid >/dev/null 2>&1; then detach=(setsid); fi
    nohup "${detach[@]}" "$BIN" --listen "127.0.0.1:$1" --smtp "127.0.0.1:$SMTP_PORT" >"$LOG_FILE" 2>&1 9>&- &
    echo $! >"$PID_FILE"
}

on_ready() { printf '127.0.0.1:%s\n' "$SMTP_PORT" >"$SMTP_FILE"; }

cmd_start() { start_http_service; }

cmd_stop() { stop_pid_file "$PID_FILE" "$URL_FILE" "$SMTP_FILE"; }

cmd_smtp() {
    is_running || die "not running; run: devservices/mailpit.sh start"
    cat "$SMTP_FILE"
}

describe() { printf ', SMTP %s (mailpit %s)' "$(cat "$SMTP_FILE")" "$VERSION"; }

dispatch "$@"
