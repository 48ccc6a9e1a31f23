#!/usr/bin/env bash
# `make test`: start the services the suite needs, run it twice, stop them.
#
#   1. the whole suite (unit, integration, e2e, faults) on SQLite;
#   2. the integration tests again on a throwaway PostgreSQL
#      (TEST_DATABASE_URL and DATABASE_URL point at it), and the cluster tests
#      (two gunicorn nodes, a job worker beside each, on that PostgreSQL, Redis,
#      Elasticsearch and S3 server).
#
# The two runs go side by side (one per core): the PostgreSQL run in the background
# into its log, printed when both are done. They share Elasticsearch (each test uses
# its own indices) and stripe-mock; the PostgreSQL run gets its own Mailpit (the mail
# tests empty the mailbox) and its own Redis database. PG_SERIAL=1 runs them in turn.
#
# Both runs talk to a real single-node Elasticsearch (devservices/elasticsearch.sh;
# ELASTICSEARCH_URL points at it): the search contract suite and the outage
# tests run against it. The tests use their own indices and aliases (test-*).
# Both runs also talk to Stripe's own mock server (devservices/stripe-mock.sh;
# STRIPE_MOCK_URL points at it) for the payments tests, and to a real Redis
# (devservices/redis.sh; REDIS_TEST_URL) for the job runner's tests, and to Mailpit
# (devservices/mailpit.sh; MAILPIT_URL, MAILPIT_SMTP) for the notification emails,
# and to S3Proxy (devservices/s3.sh; S3_TEST_URL) for the documents in object storage.
#
# PostgreSQL, and Elasticsearch unless it was already running before, are
# stopped on the way out, whatever happened. The exit status is non-zero when
# any run failed. With CI=true a service that cannot start fails the run at
# once; without it, a PostgreSQL that cannot start is a loud warning and only
# the SQLite run happens, and an Elasticsearch that cannot start is a loud
# warning and its tests are skipped.
#
# Environment:
#   PYTEST_ARGS     extra pytest arguments for both runs (e.g. "-x -k search")
#   PG_TEST_PATHS   what the PostgreSQL run covers (default: tests/integration tests/cluster)
#   PG_SERIAL       1: run the PostgreSQL run after the SQLite one, not beside it
#   PYTHON          the interpreter (default: .venv/bin/python)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PG_TEST_PATHS="${PG_TEST_PATHS:-tests/integration tests/cluster}"
LOG_DIR="$ROOT/.devservices/test-logs"
mkdir -p "$LOG_DIR"

case "${CI:-}" in
    true | TRUE | True | 1 | yes) in_ci=1 ;;
    *) in_ci=0 ;;
esac

read -r -a extra_args <<<"${PYTEST_ARGS:-}"

if [ -t 1 ]; then
    bold=$'\033[1m' yellow=$'\033[1;33m' red=$'\033[1;31m' green=$'\033[1;32m' plain=$'\033[0m'
else
    bold="" yellow="" red="" green="" plain=""
fi
banner() { printf '\n%s==== %s ====%s\n' "$bold" "$*" "$plain"; }
warn() { printf '\n%s!!!! WARNING: %s%s\n\n' "$yellow" "$*" "$plain" >&2; }
fail_now() {
    printf '\n%s!!!! %s%s\n\n' "$red" "$*" "$plain" >&2
    exit 1
}

if [ ! -x "$PYTHON" ]; then
    fail_now "$PYTHON not found: run 'make venv' first."
fi

# The services this script started (1) or found running and leaves running (0), by the
# name of their devservices/ script, in the order they started.
declare -A started=()
declare -a start_order=()
PG_MAILPIT_DIR="$ROOT/.devservices/mailpit-pg"
pg_pid=""
cleanup() {
    if [ -n "$pg_pid" ]; then
        kill -- "$pg_pid" 2>/dev/null || true
        pg_pid=""
    fi
    MAILPIT_STATE_DIR="$PG_MAILPIT_DIR" devservices/mailpit.sh stop >/dev/null 2>&1 || true
    local i script
    for ((i = ${#start_order[@]} - 1; i >= 0; i--)); do
        script="${start_order[$i]}"
        if [ "${started[$script]}" = 1 ]; then
            devservices/"$script".sh stop >/dev/null 2>&1 || true
            started[$script]=0
        fi
    done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- services ----------------------------------------------------------------

banner "services"
if chromium="$(devservices/browser.sh)"; then
    export CHROMIUM_PATH="$chromium"
    echo "chromium: $chromium"
else
    if [ "$in_ci" -eq 1 ]; then
        fail_now "Chromium / CJK fonts could not be installed (devservices/browser.sh); CI=true, so the run fails."
    fi
    warn "Chromium could not be installed (devservices/browser.sh): the e2e tests will fail."
fi

# start_service SCRIPT LABEL SKIPPED [reuse]: start devservices/SCRIPT.sh and set
# `service_url`. With `reuse`, one already running (make run, another session) is used
# and left running; otherwise, and for one started here, it is stopped at the end (even
# if `start` failed half-way). A service that cannot start fails the run in CI, and is
# a loud warning otherwise (service_url empty; SKIPPED says what is then not tested).
start_service() {
    local script="$1" label="$2" skipped="$3" reuse="${4:-}"
    start_order+=("$script")
    if [ "$reuse" = reuse ] && devservices/"$script".sh status >/dev/null 2>&1; then
        started[$script]=0
    else
        started[$script]=1
    fi
    if service_url="$(devservices/"$script".sh start)" && [ -n "$service_url" ]; then
        return 0
    fi
    service_url=""
    if [ "$in_ci" -eq 1 ]; then
        fail_now "$label could not start (devservices/$script.sh start); CI=true, so the run fails."
    fi
    warn "$label could not start (see the messages above): $skipped;
     this is NOT the full check. Fix it, or run with CI=true to make this an error."
}

unset ELASTICSEARCH_URL STRIPE_MOCK_URL REDIS_TEST_URL MAILPIT_URL MAILPIT_SMTP S3_TEST_URL

start_service postgres PostgreSQL "only the SQLite run will happen"
pg_url="$service_url"
[ -z "$pg_url" ] || echo "postgresql: $pg_url"

start_service elasticsearch Elasticsearch "its tests are SKIPPED" reuse
es_url="$service_url"
if [ -n "$es_url" ]; then
    export ELASTICSEARCH_URL="$es_url"
    echo "elasticsearch: $es_url (version $(cat "${ES_STATE_DIR:-.devservices/elasticsearch}/version" 2>/dev/null || echo '?'))"
fi

# Stripe's own mock server, for the payments tests.
start_service stripe-mock stripe-mock "the Stripe tests are SKIPPED" reuse
sm_url="$service_url"
[ -z "$sm_url" ] || { export STRIPE_MOCK_URL="$sm_url"; echo "stripe-mock: $sm_url"; }

# Redis, for the job runner's Redis path, the live rooms' fan-out and the cluster test.
start_service redis Redis "the job runner's Redis tests are SKIPPED" reuse
rd_url="$service_url"
[ -z "$rd_url" ] || { export REDIS_TEST_URL="$rd_url"; echo "redis: $rd_url"; }

# Mailpit, the SMTP server the notification tests mail through and read back.
start_service mailpit Mailpit "the mail tests are SKIPPED" reuse
mp_url="$service_url"
if [ -n "$mp_url" ]; then
    export MAILPIT_URL="$mp_url" MAILPIT_SMTP="$(devservices/mailpit.sh smtp)"
    echo "mailpit: $mp_url (SMTP $MAILPIT_SMTP)"
fi

# S3Proxy, the S3 server the object-storage tests keep documents in.
start_service s3 S3Proxy "the object-storage tests are SKIPPED" reuse
s3_url="$service_url"
[ -z "$s3_url" ] || { export S3_TEST_URL="$s3_url"; echo "s3: $s3_url"; }

# --- runs --------------------------------------------------------------------

declare -a summaries=()
status=0

# run_pytest LOGNAME SHOW [env assignments...] -- pytest args...
# Runs pytest into LOG_DIR/LOGNAME.log (and the terminal when SHOW is 1); its exit
# code goes to LOG_DIR/LOGNAME.rc.
run_pytest() {
    local logname="$1" show="$2"
    shift 2
    local -a envs=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    shift # --
    local log="$LOG_DIR/$logname.log" rc
    if [ "$show" -eq 1 ]; then
        env -u TEST_DATABASE_URL -u DATABASE_URL "${envs[@]}" \
            "$PYTHON" -m pytest "$@" ${extra_args[@]+"${extra_args[@]}"} 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
    else
        env -u TEST_DATABASE_URL -u DATABASE_URL "${envs[@]}" \
            "$PYTHON" -m pytest "$@" ${extra_args[@]+"${extra_args[@]}"} >"$log" 2>&1
        rc=$?
    fi
    echo "$rc" >"$LOG_DIR/$logname.rc"
}

# summarise LABEL LOGNAME STARTED: one line of the summary from a finished run.
summarise() {
    local label="$1" log="$LOG_DIR/$2.log" started="$3" rc result
    rc="$(cat "$LOG_DIR/$2.rc" 2>/dev/null || echo 1)"
    # pytest's last "==== 12 passed, 1 skipped in 3.4s ====" line (without the rules under -q).
    result="$(grep -E '(passed|failed|errors?|skipped|deselected|xfailed|xpassed|no tests ran).* in [0-9.]+s' "$log" |
        tail -n 1 | sed -E 's/^=+ //; s/ =+$//')"
    [ -n "$result" ] || result="no pytest summary (exit code $rc), see $log"
    local verdict="PASSED"
    if [ "$rc" -ne 0 ]; then
        verdict="FAILED"
        status=1
        [ "$rc" -eq 5 ] && result="$result (no tests were collected)"
    fi
    summaries+=("$(printf '%-34s %s  %s  [%ss]' "$label:" "$verdict" "$result" "$((SECONDS - started))")")
}

# The PostgreSQL run's own Mailpit and Redis database, so that the two runs' mail
# tests never read (or delete) each other's messages.
pg_envs=()
if [ -n "$pg_url" ]; then
    pg_envs=("TEST_DATABASE_URL=$pg_url" "DATABASE_URL=$pg_url")
    [ -n "$rd_url" ] && pg_envs+=("REDIS_TEST_URL=${rd_url%/*}/1")
    if [ -n "$mp_url" ]; then
        if pg_mp_url="$(MAILPIT_STATE_DIR="$PG_MAILPIT_DIR" devservices/mailpit.sh start)"; then
            pg_envs+=("MAILPIT_URL=$pg_mp_url" "MAILPIT_SMTP=$(MAILPIT_STATE_DIR="$PG_MAILPIT_DIR" devservices/mailpit.sh smtp)")
        else
            fail_now "the PostgreSQL run's Mailpit could not start (MAILPIT_STATE_DIR=$PG_MAILPIT_DIR devservices/mailpit.sh start)."
        fi
    fi
fi
pg_label="PostgreSQL (${PG_TEST_PATHS})"
read -r -a pg_paths <<<"$PG_TEST_PATHS"
pg_started_at=$SECONDS

if [ -n "$pg_url" ] && [ "${PG_SERIAL:-0}" != 1 ]; then
    banner "$pg_label: in the background, into $LOG_DIR/postgresql.log"
    run_pytest postgresql 0 "${pg_envs[@]}" -- "${pg_paths[@]}" &
    pg_pid=$!
fi

banner "SQLite (whole suite)"
sqlite_started_at=$SECONDS
run_pytest sqlite 1 -- tests --ignore=tests/cluster
summarise "SQLite (whole suite)" sqlite "$sqlite_started_at"

if [ -n "$pg_url" ]; then
    if [ -n "$pg_pid" ]; then
        wait "$pg_pid"
        pg_pid=""
        banner "$pg_label (from $LOG_DIR/postgresql.log)"
        # The failures and pytest's closing lines; the whole log stays in the file.
        failures="$(sed -n '/^=* FAILURES =*$/,$p' "$LOG_DIR/postgresql.log" | tail -n 400)"
        if [ -n "$failures" ]; then echo "$failures"; else tail -n 3 "$LOG_DIR/postgresql.log"; fi
    else
        banner "$pg_label"
        pg_started_at=$SECONDS
        run_pytest postgresql 1 "${pg_envs[@]}" -- "${pg_paths[@]}"
    fi
    summarise "$pg_label" postgresql "$pg_started_at"
else
    summaries+=("$(printf '%-34s %s' "PostgreSQL:" "NOT RUN (PostgreSQL could not start)")")
    [ "$in_ci" -eq 1 ] && status=1
fi

[ -n "$mp_url" ] || summaries+=("$(printf '%-34s %s' "Mailpit:" "NOT RUN (the server could not start; the mail tests skipped)")")
[ -n "$s3_url" ] || summaries+=("$(printf '%-34s %s' "S3Proxy:" "NOT RUN (the server could not start; the object-storage tests skipped)")")
[ -n "$rd_url" ] || summaries+=("$(printf '%-34s %s' "Redis:" "NOT RUN (the server could not start; its tests skipped)")")
[ -n "$sm_url" ] || summaries+=("$(printf '%-34s %s' "stripe-mock:" "NOT RUN (the server could not start; the Stripe tests skipped)")")
[ -n "$es_url" ] || summaries+=("$(printf '%-34s %s' "Elasticsearch:" "NOT RUN (the node could not start; its tests skipped)")")

cleanup

banner "summary"
for line in "${summaries[@]}"; do
    echo "$line"
done
echo "logs: $LOG_DIR/"
if [ "$status" -ne 0 ]; then
    printf '%smake test: FAILED%s\n' "$red" "$plain"
else
    printf '%smake test: passed%s\n' "$green" "$plain"
fi
exit "$status"
