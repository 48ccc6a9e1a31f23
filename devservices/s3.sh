#!/usr/bin/env bash
# S3Proxy: a real S3 server (the S3 REST API, signatures checked) over a local folder,
# for the documents kept in object storage.
#
#   devservices/s3.sh start    start (or reuse) it, print its endpoint URL
#   devservices/s3.sh url      print the endpoint URL of the running server
#   devservices/s3.sh status   exit 0 and print the URL if running, 1 if not
#   devservices/s3.sh stop     stop it (safe to repeat)
#
# The server is org.gaul:s3proxy (jar-with-dependencies) from Maven Central, fetched
# once with `mvn dependency:get` (a few seconds) and copied to .devservices/s3/bin/;
# it runs with `java -jar` (Java 17 or newer). It listens on a free port of 127.0.0.1,
# keeps its buckets under .devservices/s3/data/ and accepts AWS v2/v4 signatures of
# one fixed key pair: S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY below (the tests use the
# same defaults). It does not implement server-side encryption headers, so the test
# configuration turns S3_SERVER_SIDE_ENCRYPTION off. The tests read S3_TEST_URL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${S3_STATE_DIR:-$ROOT/.devservices/s3}"
VERSION="${S3PROXY_VERSION:-2.6.0}"
JAR="$STATE_DIR/bin/s3proxy-$VERSION.jar"
ARTIFACT="org.gaul:s3proxy:$VERSION:jar:jar-with-dependencies"
M2_REPO="${MAVEN_REPO:-$HOME/.m2/repository}"
DATA_DIR="$STATE_DIR/data"
PID_FILE="$STATE_DIR/pid"
URL_FILE="$STATE_DIR/url"
LOG_FILE="$STATE_DIR/server.log"
START_TIMEOUT="${S3_START_TIMEOUT:-60}"
ACCESS_KEY="${S3_TEST_ACCESS_KEY:-devservices}"
SECRET_KEY="${S3_TEST_SECRET_KEY:-devservices-secret}"

SERVICE="s3.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

install_binary() {
    command -v java >/dev/null 2>&1 || die "Java 17 or newer is needed to run S3Proxy (java -jar)."
    [ -f "$JAR" ] && return 0
    command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch $ARTIFACT from Maven Central."
    log "fetching $ARTIFACT (mvn dependency:get)"
    mvn -q -B dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false >&2 ||
        die "mvn dependency:get $ARTIFACT failed."
    local fetched="$M2_REPO/org/gaul/s3proxy/$VERSION/s3proxy-$VERSION-jar-with-dependencies.jar"
    [ -f "$fetched" ] || die "mvn finished but $fetched is missing (set MAVEN_REPO to the local repository)."
    mkdir -p "$(dirname "$JAR")"
    cp "$fetched" "$JAR.part" && mv "$JAR.part" "$JAR"
}

# Any HTTP answer from the S3 API (an anonymous request is refused with 403 when up).
answers() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' "$1/" 2>/dev/null)" || return 1
    [ "$code" != "000" ]
}

launch() {
    mkdir -p "$DATA_DIR"
    cat >"$STATE_DIR/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$1
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DATA_DIR
EOF
    detached nohup java -Xmx256m -jar "$JAR" --properties "$STATE_DIR/s3proxy.conf" >"$LOG_FILE" 2>&1 9>&- &
    echo $! >"$PID_FILE"
}

on_ready() { :; }

cmd_start() { start_http_service; }

cmd_stop() { stop_pid_file "$PID_FILE" "$URL_FILE"; }

describe() { printf ' (S3Proxy %s, key %s)' "$VERSION" "$ACCESS_KEY"; }

dispatch "$@"
