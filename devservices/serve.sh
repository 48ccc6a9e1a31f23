#!/usr/bin/env bash
# `make run`'s last step: Mailpit for the mail the market sends, then one Python process
# (`flask serve`, marketplace/devserver.py) that migrates when a migration is pending,
# loads the demo market into an empty one, forks the job worker and serves. Ctrl-C stops
# the server and the worker (Mailpit keeps running for the next `make run`; `make
# services-stop` stops it).
#
#   devservices/serve.sh HOST PORT [flask serve's options, e.g. --reindex-if-empty]
#
# MAIL_SERVER in the environment: that SMTP server is used and Mailpit is not started.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HOST="${1:-127.0.0.1}"
PORT="${2:-5000}"
shift $(($# < 2 ? $# : 2))
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

exec "${FLASK[@]}" serve --host "$HOST" --port "$PORT" --mail-banner "$mail_banner" "$@"
