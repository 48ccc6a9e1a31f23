#!/usr/bin/env bash
# A throwaway single-node Elasticsearch for the test suite (no Docker).
#
#   devservices/elasticsearch.sh start    start (or reuse) the node, print its URL
#   devservices/elasticsearch.sh url      print the URL of the running node
#   devservices/elasticsearch.sh status   exit 0 and print the URL if running, 1 if not
#   devservices/elasticsearch.sh stop     stop it and delete its data (safe to repeat)
#
# The server is Elastic's "integ-test-zip" distribution from Maven Central,
#   org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip
# fetched once with `mvn dependency:copy` (curl from Maven Central as a fallback)
# into .devservices/cache/elasticsearch/ and unpacked once into
# .devservices/elasticsearch/<version>/ (both git-ignored). It bundles no JDK:
# ES_JAVA_HOME is pointed at an installed JDK of the right version (21+ for 9.x,
# 17 for 8.x). It refuses to run as root, so as root it runs as the
# unprivileged system user 'esdev' (created when missing).
#
# The node listens on 127.0.0.1 only, on free HTTP and transport ports, with
# discovery.type=single-node, security off, a 512 MB heap and the disk
# watermarks off. The URL it prints is
#   http://127.0.0.1:PORT
# and is also written to .devservices/elasticsearch/url (the version that runs
# is in .devservices/elasticsearch/version).
#
# Environment:
#   ES_VERSION        the version to run; when unset, 9.5.3 and, if that cannot be
#                     fetched or does not start, 8.19.21 (DEFAULT_VERSIONS below).
#                     A running node of another version is replaced.
#                     The Python client's major version must match the server's:
#                     elasticsearch 9.x for a 9.x node (8.x also works with 9.x);
#                     elasticsearch 9.x refuses an 8.x node (media_type_header_exception).
#   ES_JAVA_HOME      the JDK to use (default: the newest Java 21+ under /usr/lib/jvm
#                     or /opt for 9.x, the lowest Java 17+ for 8.x)
#   ES_RUN_AS         OS user that runs the node when we are root (default esdev)
#   ES_HEAP           heap size (default 512m)
#   ES_START_TIMEOUT  seconds to wait for a yellow cluster (default 120)
#   ES_STATE_DIR      default .devservices/elasticsearch
#   ES_CACHE_DIR      default .devservices/cache/elasticsearch
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${ES_STATE_DIR:-$ROOT/.devservices/elasticsearch}"
CACHE_DIR="${ES_CACHE_DIR:-$ROOT/.devservices/cache/elasticsearch}"
URL_FILE="$STATE_DIR/url"
PORT_FILE="$STATE_DIR/port"
PID_FILE_REF="$STATE_DIR/pidfile"   # holds the path of the node's pid file
RUNDIR_FILE="$STATE_DIR/rundir"
VERSION_FILE="$STATE_DIR/version"
RUN_AS="${ES_RUN_AS:-esdev}"
HEAP="${ES_HEAP:-512m}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
# Newest 9.x first (needs Java 21+), then the 8.19 line (Java 17) as a fallback.
# Note: the integ-test-zip maven-metadata.xml on Maven Central lists no 9.x at
# all, yet the 9.x zips are there; several 9.x releases (9.3.x, 9.4.x, 9.5.1)
# were never published as integ-test-zip.
DEFAULT_VERSIONS="9.5.3 8.19.21"
GROUP_PATH="org/elasticsearch/distribution/integ-test-zip"
ARTIFACT="elasticsearch"
CENTRAL="${ES_MAVEN_REPO:-https://repo.maven.apache.org/maven2}"

SERVICE="elasticsearch.sh"
# shellcheck source=devservices/lib.sh
. "$ROOT/devservices/lib.sh"

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as the node's owner.
as_owner() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$RUN_AS" -- "$@"
        else
            setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups -- "$@"
        fi
    else
        "$@"
    fi
}

# as_owner as a command prefix (for timeout, which cannot run a shell function).
owner_prefix() {
    OWNER_PREFIX=()
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            OWNER_PREFIX=(runuser -u "$RUN_AS" --)
        else
            OWNER_PREFIX=(setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups --)
        fi
    fi
}

ensure_owner_user() {
    is_root || return 0
    if ! id -u "$RUN_AS" >/dev/null 2>&1; then
        log "creating system user '$RUN_AS' to run the node (it refuses to run as root)"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$RUN_AS" ||
            die "could not create the system user '$RUN_AS'."
    fi
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' is needed (apt-get install -y $2)."
}

# A free port, other than the ports given (the node takes two).
free_port() {
    local py
    for py in python3 python "$ROOT/.venv/bin/python"; do
        if command -v "$py" >/dev/null 2>&1 || [ -x "$py" ]; then
            "$py" - "$@" <<'PY'
import socket
import sys

avoid = {int(p) for p in sys.argv[1:]}
while True:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if port not in avoid:
        print(port)
        break
PY
            return
        fi
    done
    die "python3 is needed to find a free port."
}

major_of() { printf '%s' "${1%%.*}"; }

# The Java feature version of a JDK home (from its 'release' file), or nothing.
jdk_major() {
    local home="$1" v
    [ -x "$home/bin/java" ] || return 0
    if [ -f "$home/release" ]; then
        v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n1)"
    else
        v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
    fi
    v="${v#1.}"   # 1.8 -> 8
    printf '%s' "${v%%[.+-]*}"
}

# A JDK home for Elasticsearch $1: 9.x needs Java 21+ (take the newest found);
# 8.x runs best on 17 (take the lowest >= 17, so 17 over 25).
pick_java_home() {
    local es_major want_min home m best="" best_m=""
    es_major="$(major_of "$1")"
    if [ -n "${ES_JAVA_HOME:-}" ]; then
        printf '%s' "$ES_JAVA_HOME"
        return
    fi
    if [ "$es_major" -ge 9 ]; then want_min=21; else want_min=17; fi
    for home in /usr/lib/jvm/* /opt/* /opt/java/* /usr/local/*; do
        [ -d "$home" ] && [ ! -L "$home" ] || continue
        m="$(jdk_major "$home")"
        [ -n "$m" ] && [ "$m" -ge "$want_min" ] 2>/dev/null || continue
        if [ -z "$best" ]; then
            best="$home" best_m="$m"
        elif [ "$es_major" -ge 9 ] && [ "$m" -gt "$best_m" ]; then
            best="$home" best_m="$m"
        elif [ "$es_major" -lt 9 ] && [ "$m" -lt "$best_m" ]; then
            best="$home" best_m="$m"
        fi
    done
    [ -n "$best" ] || return 1
    printf '%s' "$best"
}

# Fetch the distribution zip of version $1 into the cache; print its path.
fetch_zip() {
    local version="$1" zip tmp
    zip="$CACHE_DIR/$ARTIFACT-$version.zip"
    if [ -s "$zip" ] && unzip -tqq "$zip" >/dev/null 2>&1; then
        printf '%s' "$zip"
        return 0
    fi
    mkdir -p "$CACHE_DIR"
    rm -f "$zip"
    if command -v mvn >/dev/null 2>&1; then
        log "fetching org.elasticsearch.distribution.integ-test-zip:$ARTIFACT:$version:zip with mvn dependency:copy"
        # -U: retry an artifact whose earlier miss Maven has cached.
        if mvn -B -q -U org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
            -Dartifact="org.elasticsearch.distribution.integ-test-zip:$ARTIFACT:$version:zip" \
            -DoutputDirectory="$CACHE_DIR" >"$CACHE_DIR/mvn-$version.log" 2>&1 && [ -s "$zip" ]; then
            printf '%s' "$zip"
            return 0
        fi
        log "mvn could not fetch $version (see $CACHE_DIR/mvn-$version.log); trying curl"
        sed -n 's/\x1b\[[0-9;]*m//g; /\[ERROR\]/{s/^.*\(\[ERROR\]\)/\1/p;q}' "$CACHE_DIR/mvn-$version.log" |
            cut -c1-400 >&2 || true
    fi
    need curl curl
    tmp="$zip.part"
    log "downloading $CENTRAL/$GROUP_PATH/$ARTIFACT/$version/$ARTIFACT-$version.zip"
    if curl -fsSL --retry 2 -o "$tmp" "$CENTRAL/$GROUP_PATH/$ARTIFACT/$version/$ARTIFACT-$version.zip"; then
        mv "$tmp" "$zip"
        printf '%s' "$zip"
        return 0
    fi
    rm -f "$tmp"
    return 1
}

# Unpack version $1 once into $DIST_ROOT/<version>/ (normally
# .devservices/elasticsearch/<version>/); print ES_HOME.
install_dist() {
    local version="$1" zip home tmp
    home="$DIST_ROOT/$version/$ARTIFACT-$version"
    if [ -x "$home/bin/elasticsearch" ] && [ -f "$home/.unpacked" ]; then
        printf '%s' "$home"
        return 0
    fi
    zip="$(fetch_zip "$version")" || return 1
    need unzip unzip
    tmp="$DIST_ROOT/$version.unpacking"
    mkdir -p "$DIST_ROOT"
    rm -rf -- "$tmp" "$DIST_ROOT/$version"
    mkdir -p "$tmp"
    log "unpacking $zip"
    unzip -q "$zip" -d "$tmp" || {
        rm -rf -- "$tmp"
        return 1
    }
    mv "$tmp" "$DIST_ROOT/$version"
    [ -x "$home/bin/elasticsearch" ] || {
        log "$zip holds no $ARTIFACT-$version/bin/elasticsearch"
        return 1
    }
    : >"$home/.unpacked"
    printf '%s' "$home"
}

# Where the distribution is unpacked: beside the state files when the owner can
# reach them, otherwise (say a repository under /root) a shared folder in /var/tmp.
pick_dist_root() {
    DIST_ROOT="$STATE_DIR"
    if is_root && ! as_owner test -x "$STATE_DIR" 2>/dev/null; then
        DIST_ROOT="/var/tmp/marketplace-es-dist"
        mkdir -p "$DIST_ROOT"
        chmod 755 "$DIST_ROOT"
        log "'$RUN_AS' cannot reach $STATE_DIR; unpacking the distribution under $DIST_ROOT"
    fi
}

# Where the data, logs and per-run config go: under the state directory when the
# owner can reach it, otherwise a private folder under /tmp.
pick_rundir() {
    local candidate="$STATE_DIR/run"
    if is_root && ! as_owner test -x "$STATE_DIR" 2>/dev/null; then
        candidate="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-es.XXXXXX")"
        log "'$RUN_AS' cannot reach $STATE_DIR; using $candidate for the data"
    fi
    rm -rf -- "$candidate"
    mkdir -p "$candidate"
    printf '%s' "$candidate"
}

current_pid() {
    local pidfile
    [ -f "$PID_FILE_REF" ] || return 1
    pidfile="$(cat "$PID_FILE_REF")"
    [ -s "$pidfile" ] || return 1
    cat "$pidfile"
}

health_ok() {   # $1 = port
    curl -fsS -m 5 -o /dev/null \
        "http://127.0.0.1:$1/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

is_running() {
    local pid port
    pid="$(current_pid)" || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [ -f "$PORT_FILE" ] && [ -f "$URL_FILE" ] || return 1
    port="$(cat "$PORT_FILE")"
    health_ok "$port"
}

show_log_tail() {
    local logfile
    for logfile in "$@"; do
        if [ -s "$logfile" ]; then
            printf -- '--- last lines of %s ---\n' "$logfile" >&2
            tail -n 40 "$logfile" >&2 || true
            printf -- '---\n' >&2
        fi
    done
}

remove_rundir() {
    local rundir="$1"
    [ -n "$rundir" ] || return 0
    case "$rundir" in
        "$STATE_DIR"/run | "${TMPDIR:-/tmp}"/marketplace-es.*) rm -rf -- "$rundir" ;;
        *) log "not deleting unexpected run directory $rundir" ;;
    esac
}

kill_group() {   # $1 = process group id of a failed launch; TERM, then KILL after 10 s
    local pgid="$1" i
    [ -n "$pgid" ] || return 0
    kill -TERM -- "-$pgid" 2>/dev/null || return 0
    for i in $(seq 1 20); do
        kill -0 -- "-$pgid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
}

kill_node() {   # $1 = pid; TERM, then KILL after 30 s
    local pid="$1" i
    [ -n "$pid" ] || return 0
    # Only an Elasticsearch process (the pid file may be stale and the id reused).
    grep -qa 'org.elasticsearch' "/proc/$pid/cmdline" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    log "node $pid did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
}

clear_state() {
    local rundir=""
    [ -f "$RUNDIR_FILE" ] && rundir="$(cat "$RUNDIR_FILE")"
    remove_rundir "$rundir"
    rm -f "$URL_FILE" "$PORT_FILE" "$PID_FILE_REF" "$RUNDIR_FILE" "$VERSION_FILE"
}

write_config() {   # $1 = ES_HOME, $2 = conf dir, $3 = rundir, $4 = http port, $5 = transport port
    local home="$1" conf="$2" rundir="$3" http="$4" transport="$5"
    rm -rf -- "$conf"
    cp -r "$home/config" "$conf"
    mkdir -p "$conf/jvm.options.d"
    {
        echo "# written by devservices/elasticsearch.sh"
        echo "cluster.name: marketplace-dev"
        echo "node.name: marketplace-dev-1"
        echo "path.data: $rundir/data"
        echo "path.logs: $rundir/logs"
        echo "network.host: 127.0.0.1"
        echo "http.port: $http"
        echo "transport.port: $transport"
        echo "discovery.type: single-node"
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        echo "action.destructive_requires_name: false"
        # Only x-pack settings whose module the distribution carries: an unknown
        # setting stops the node.
        if [ -d "$home/modules/x-pack-security" ]; then
            echo "xpack.security.enabled: false"
        fi
        if [ -d "$home/modules/x-pack-ml" ]; then
            echo "xpack.ml.enabled: false"
        fi
        if [ -d "$home/modules/ingest-geoip" ]; then
            echo "ingest.geoip.downloader.enabled: false"
        fi
    } >"$conf/elasticsearch.yml"
    printf -- '-Xms%s\n-Xmx%s\n' "$HEAP" "$HEAP" >"$conf/jvm.options.d/devservices-heap.options"
}

# Try to start version $1; on success print nothing and leave the state files.
start_version() {
    local version="$1" home java_home rundir conf http transport pidfile console pid attempt waited rc launcher
    home="$(install_dist "$version")" || {
        log "Elasticsearch $version could not be fetched or unpacked"
        return 1
    }
    java_home="$(pick_java_home "$version")" || {
        log "no JDK found for Elasticsearch $version (needs Java $([ "$(major_of "$version")" -ge 9 ] && echo '21+' || echo 17)); set ES_JAVA_HOME"
        return 1
    }
    if is_root; then
        as_owner test -r "$home/bin/elasticsearch" ||
            die "'$RUN_AS' cannot read $home; check the permissions of its parent folders."
    fi

    rundir="$(pick_rundir)"
    conf="$rundir/config"
    pidfile="$rundir/elasticsearch.pid"
    console="$rundir/console.log"
    mkdir -p "$rundir/data" "$rundir/logs" "$rundir/tmp"
    printf '%s' "$rundir" >"$RUNDIR_FILE"
    printf '%s' "$pidfile" >"$PID_FILE_REF"
    printf '%s\n' "$version" >"$VERSION_FILE"

    for attempt in 1 2 3; do
        http="$(free_port)"
        transport="$(free_port "$http")"
        write_config "$home" "$conf" "$rundir" "$http" "$transport"
        rm -rf -- "$rundir/data" "$rundir/logs" && mkdir -p "$rundir/data" "$rundir/logs"
        rm -f "$pidfile"
        : >"$console"
        if is_root; then chown -R "$RUN_AS:" "$rundir"; fi
        log "starting Elasticsearch $version on 127.0.0.1:$http (transport $transport, attempt $attempt)"
        log "  ES_JAVA_HOME=$java_home, heap $HEAP, data in $rundir, as $(is_root && echo "$RUN_AS" || id -un)"
        # -d: the launcher detaches once the node has started (or exits non-zero
        # when it fails). 9>&-: the node must not inherit the lock.
        # timeout: the launcher itself has none. timeout leads its own process
        # group, which the node joins: on failure the whole group is ended.
        rc=0
        owner_prefix
        (cd "$rundir" && exec timeout --kill-after=10 "$START_TIMEOUT" \
            "${OWNER_PREFIX[@]}" env -u JAVA_HOME ES_JAVA_HOME="$java_home" ES_PATH_CONF="$conf" \
            ES_TMPDIR="$rundir/tmp" "$home/bin/elasticsearch" -d -p "$pidfile") \
            >"$console" 2>&1 9>&- </dev/null &
        launcher=$!
        wait "$launcher" || rc=$?
        [ "$rc" -eq 0 ] && break
        pid="$(cat "$pidfile" 2>/dev/null || true)"
        kill_node "$pid"
        kill_group "$launcher"
        if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
            show_log_tail "$console" "$rundir/logs/marketplace-dev.log"
            log "Elasticsearch $version had not started after ${START_TIMEOUT}s"
            return 1
        fi
        if grep -qi 'BindException\|Address already in use\|Failed to bind' "$console" "$rundir/logs/"*.log 2>/dev/null; then
            log "port taken between choosing and binding it; trying others"
            http=""
            continue
        fi
        http=""
        break
    done
    if [ -z "$http" ]; then
        show_log_tail "$console" "$rundir/logs/marketplace-dev.log"
        log "Elasticsearch $version did not start (log: $rundir/logs/marketplace-dev.log)"
        return 1
    fi
    printf '%s' "$http" >"$PORT_FILE"

    pid="$(cat "$pidfile" 2>/dev/null || true)"
    waited=0
    until health_ok "$http"; do
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            show_log_tail "$console" "$rundir/logs/marketplace-dev.log"
            log "Elasticsearch $version exited while starting"
            return 1
        fi
        waited=$((waited + 2))
        if [ "$waited" -gt "$START_TIMEOUT" ]; then
            show_log_tail "$console" "$rundir/logs/marketplace-dev.log"
            kill_node "$pid"
            log "Elasticsearch $version on port $http was not yellow after ${START_TIMEOUT}s"
            return 1
        fi
        sleep 2
    done
    return 0
}

cmd_start() {
    mkdir -p "$STATE_DIR" "$CACHE_DIR"
    exec 9>"$STATE_DIR/lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi

    if is_running; then
        local running
        running="$(cat "$VERSION_FILE" 2>/dev/null || true)"
        if [ -z "${ES_VERSION:-}" ] || [ "$ES_VERSION" = "$running" ]; then
            log "reusing the running node (Elasticsearch $running)"
            cat "$URL_FILE"
            return 0
        fi
        log "Elasticsearch $running is running but ES_VERSION=$ES_VERSION: replacing it"
    fi
    need curl curl
    ensure_owner_user

    # A stale node from an earlier run (crashed, or the machine rebooted): discard it.
    kill_node "$(current_pid 2>/dev/null || true)"
    clear_state
    chmod 755 "$STATE_DIR"

    local versions version started="" t0 url
    pick_dist_root
    versions="${ES_VERSION:-$DEFAULT_VERSIONS}"
    t0="$(date +%s)"
    local first=1
    for version in $versions; do
        if [ "$first" -eq 0 ]; then
            log "falling back to Elasticsearch $version (a $(major_of "$version").x server needs the elasticsearch $(major_of "$version").x Python client)"
        fi
        first=0
        if start_version "$version"; then
            started="$version"
            break
        fi
        kill_node "$(current_pid 2>/dev/null || true)"
        clear_state
    done
    [ -n "$started" ] || die "no Elasticsearch node started (tried: $versions); see the log lines above."

    url="http://127.0.0.1:$(cat "$PORT_FILE")"
    printf '%s\n' "$url" >"$URL_FILE"
    log "ready: $url (Elasticsearch $started, pid $(current_pid), $(($(date +%s) - t0)) s)"
    printf '%s\n' "$url"
}

cmd_stop() {
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    local pid
    pid="$(current_pid 2>/dev/null || true)"
    if [ -z "$pid" ] && [ ! -f "$RUNDIR_FILE" ]; then
        clear_state
        log "not running"
        return 0
    fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill_node "$pid"
    fi
    clear_state
    log "stopped"
}

cmd_url() {
    if is_running; then
        cat "$URL_FILE"
    else
        die "Elasticsearch is not running; run: devservices/elasticsearch.sh start"
    fi
}

describe() { printf ' (Elasticsearch %s)' "$(cat "$VERSION_FILE")"; }

dispatch "$@"
