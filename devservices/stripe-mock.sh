#!/usr/bin/env bash
# Stripe's own mock server (stripe-mock) for the payments tests.
#
#   devservices/stripe-mock.sh start    start (or reuse) it, print its URL
#   devservices/stripe-mock.sh url      print the URL of the running server
#   devservices/stripe-mock.sh status   exit 0 and print the URL if running, 1 if not
#   devservices/stripe-mock.sh stop     stop it (safe to repeat)
#
# The binary is built once with `go install github.com/stripe/stripe-mock@<version>`
# (module proxy; Go >= 1.21) into .devservices/stripe-mock/bin/. The server listens on
# 127.0.0.1 on a free port (HTTP only); the URL it prints, http://127.0.0.1:PORT, is
# what the tests read from STRIPE_MOCK_URL and the app from STRIPE_API_BASE.
# stripe-mock validates every request against Stripe's OpenAPI description and
# answers with fixtures; it keeps no state and sends no webhooks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${STRIPE_MOCK_STATE_DIR:-$ROOT/.devservices/stripe-mock}"
VERSION="${STRIPE_MOCK_VERSION:-v0.197.0}"
BIN_DIR="$STATE_DIR/bin/$VERSION"
BIN="$BIN_DIR/stripe-mock"
PID_FILE="$STATE_DIR/pid"
URL_FILE="$STATE_DIR/url"
LOG_FILE="$STATE_DIR/server.log"
START_TIMEOUT="${STRIPE_MOCK_START_TIMEOUT:-30}"

SERVICE="stripe-mock.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

install_binary() {
    [ -x "$BIN" ] && return 0
    go_install "github.com/stripe/stripe-mock@$VERSION" "$BIN_DIR"
    [ -x "$BIN" ] || die "go install finished but $BIN is missing."
}

answers() {
    # Any authenticated request: stripe-mock answers 200 with a fixture when it is up.
    curl -fsS -o /dev/null -H "Authorization: Bearer sk_test_123" "$1/v1/balance" 2>/dev/null
}

launch() {
    detached nohup "$BIN" -http-addr "127.0.0.1:$1" -https-addr "127.0.0.1:$(free_port)" \
        >"$LOG_FILE" 2>&1 9>&- &
    echo $! >"$PID_FILE"
}

on_ready() { :; }

cmd_start() { start_http_service; }

cmd_stop() { stop_pid_file "$PID_FILE" "$URL_FILE"; }

describe() { printf ' (stripe-mock %s)' "$VERSION"; }

dispatch "$@"
