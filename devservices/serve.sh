#!/usr/bin/env bash
# `make run`'s last step: Mailpit for the mail the market sends, the job worker beside
# the web server, then the server itself. Ctrl-C stops the server and the worker
# (Mailpit keeps running for the next `make run`; `make services-stop` stops it).
#
#   devservices/serve.sh HOST PORT
#
# MAIL_SERVER in the environment: that SMTP server is used and Mailpit is not started.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HOST="${1:-127.0.0.1}"
PORT="${2:-5000}"
FLASK=(.venv/bin/flask --app wsgi)

if [ -z "${MAIL_SERVER:-}" ]; then
    if mailpit_url="$(devservices/mailpit.sh start)" && smtp="$(devservices/mailpit.sh smtp)"; then
        export MAIL_SERVER="${smtp%:*}" MAIL_PORT="${smtp##*:}"
        mail_banner="the mail the market sends: $mailpit_url"
    else
        mail_banner="Mailpit could not start (see above): emails wait in the database and go out once MAIL_SERVER answers"
    fi
else
    mail_banner="mail goes to $MAIL_SERVER:${MAIL_PORT:-25}"
fi
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"

"${FLASK[@]}" jobs worker --workers 2 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM

printf '\n  The market:  http://%s:%s\n  Job worker:  running (pid %s)\n  Email:       %s\n\n' \
    "$HOST" "$PORT" "$worker" "$mail_banner"
"${FLASK[@]}" run --host "$HOST" --port "$PORT"
