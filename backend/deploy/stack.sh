#!/usr/bin/env bash
# One ВСОК ДО stack on this machine: private MariaDB + vsokd + nginx, all state under $VAR.
# Used by `make run` (var/, port 8080), `make test` (var/test, 18080) and `make bench`
# (var/bench, 28080); see docs/runtime.md.
#
#   stack.sh start           MariaDB (start, migrate, demo seed), vsokd (restarted if it was
#                            running, so a rebuilt binary is used), nginx (started or
#                            reloaded); waits until GET /api/v1/health answers 200
#   stack.sh stop            nginx, vsokd, MariaDB, each cleanly; nothing to do is no error
#   stack.sh status          one line per server; exit 3 when one is not running
#   stack.sh restart-vsokd   restart vsokd alone
#   stack.sh stop-vsokd      stop vsokd alone
#   stack.sh reload-nginx    re-render the nginx config and reload it
#   stack.sh banner          print the URL and the demo logins
#   stack.sh rollups         rebuild the dashboard rollups from the raw data (vsokd
#                            rebuild-rollups against the stack's database)
#   stack.sh rotate-logs     keep $VAR/log bounded: a log over VSOK_LOG_MAX bytes (default
#                            20 MiB) is copied to NAME.1 (replacing the previous one) and
#                            emptied in place; also done by start
#   stack.sh fresh CMD...    stop, wipe $VAR (only a directory under var/), start, run CMD
#                            with VSOK_STACK_URL and VSOK_STACK_VAR set, stop; exits with
#                            CMD's status, or 125 when the stack did not start
#
# Variables: VAR (default var), PORT (default 8080), VSOK_HTTP_HOST (nginx's listen address,
# default 127.0.0.1), VSOK_BIN (default build/release/vsokd), VSOK_SEED_DEMO (default 1).
# Other VSOK_* variables (VSOK_WORKERS, VSOK_MAX_REQUESTS, ...) pass through to vsokd.
# Several vsokd hosts on one database (make cluster, backend/deploy/cluster.sh) set
# VSOK_STACK_DB_VAR (the state directory of the MariaDB to use, default $VAR),
# VSOK_STACK_UPLOADS (the evidence directory, default $VAR/uploads) and VSOK_STACK_JWT_KEY
# (the signing key, default $VAR/secrets/jwt.key) to share them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VAR=${VAR:-var}
[[ $VAR = /* ]] || VAR=$ROOT/$VAR
PORT=${PORT:-8080}
HOST=${VSOK_HTTP_HOST:-127.0.0.1}
VSOK_BIN=${VSOK_BIN:-build/release/vsokd}
[[ $VSOK_BIN = /* ]] || VSOK_BIN=$ROOT/$VSOK_BIN
export VAR PORT VSOK_BIN
export VSOK_HTTP_HOST=$HOST
DB_VAR=${VSOK_STACK_DB_VAR:-$VAR}
[[ $DB_VAR = /* ]] || DB_VAR=$ROOT/$DB_VAR
UPLOADS=${VSOK_STACK_UPLOADS:-$VAR/uploads}
JWT_KEY=${VSOK_STACK_JWT_KEY:-$VAR/secrets/jwt.key}

# The stack always talks to its own private MariaDB, whatever the caller's environment:
# sql/db.sh as the schema owner vsok, vsokd as the application's user vsok_app (rights:
# sql/db.sh grant).
export VSOK_DB_HOST='' VSOK_DB_SOCKET=$DB_VAR/run/mysqld.sock VSOK_DB_NAME=vsok \
    VSOK_DB_OWNER=vsok VSOK_DB_OWNER_PASSWORD_FILE=$DB_VAR/secrets/db.password \
    VSOK_DB_USER=vsok_app VSOK_DB_PASSWORD_FILE=$DB_VAR/secrets/db-app.password VSOK_DB_APP_HOST=localhost
unset VSOK_DB_PASSWORD VSOK_DB_OWNER_PASSWORD

VSOKD_PID=$VAR/run/vsokd.pid
VSOKD_SOCK=$VAR/run/vsokd.sock
VSOKD_UPLOAD_SOCK=$VAR/run/vsokd-upload.sock
VSOKD_LOG=$VAR/log/vsokd.log

die() { printf 'stack.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'stack.sh: %s\n' "$*"; }

url_host() { case $HOST in 0.0.0.0 | :: | '[::]') echo 127.0.0.1 ;; *:*) echo "[$HOST]" ;; *) echo "$HOST" ;; esac; }
URL=http://$(url_host):$PORT

# ---------------------------------------------------------------- vsokd

# True when the process exists and is not a zombie (an exited child not yet reaped).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# True while a live process is left in the process group (vsokd's master and workers).
group_alive() {
    local f stat fields
    for f in /proc/[0-9]*/stat; do
        read -r stat 2>/dev/null <"$f" || continue
        read -ra fields <<<"${stat##*) }" # state ppid pgrp ...
        [[ ${fields[2]} == "$1" && ${fields[0]} != Z ]] && return 0
    done
    return 1
}

vsokd_pid() {
    local pid
    [[ -r $VSOKD_PID ]] || return 1
    pid=$(<"$VSOKD_PID")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == vsokd ]] || return 1
    echo "$pid"
}

start_vsokd() {
    [[ -x $VSOK_BIN ]] || die "$VSOK_BIN not found: build it first (make build)"
    stop_vsokd
    mkdir -p "$VAR/run" "$VAR/log" "$VAR/secrets" "$UPLOADS"
    chmod 0700 "$VAR/secrets"
    rm -f "$VSOKD_SOCK" "$VSOKD_UPLOAD_SOCK" "$VSOKD_PID"
    echo "---- $(date '+%F %T') starting $VSOK_BIN" >>"$VSOKD_LOG"
    # setsid: its own session and process group (so no terminal signal reaches it, and
    # the whole group can be stopped); stderr (access log, errors) to the log file.
    VSOK_SOCKET=$VSOKD_SOCK \
        VSOK_UPLOAD_SOCKET=$VSOKD_UPLOAD_SOCK \
        VSOK_SOCKET_MODE=${VSOK_SOCKET_MODE:-0660} \
        VSOK_PID_FILE=$VSOKD_PID \
        VSOK_JWT_KEY_FILE=$JWT_KEY \
        VSOK_UPLOADS_DIR=$UPLOADS \
        VSOK_COOKIE_SECURE=${VSOK_COOKIE_SECURE:-0} \
        setsid "$VSOK_BIN" </dev/null >>"$VSOKD_LOG" 2>&1 &
    local launched=$! i pid=
    for ((i = 0; i < 300; i++)); do # up to 30 s (the ASan build starts slower)
        if [[ -S $VSOKD_SOCK ]] && pid=$(vsokd_pid); then
            say "vsokd started (pid $pid, $VSOKD_SOCK)"
            return 0
        fi
        alive "$launched" || break
        sleep 0.1
    done
    echo "---- last lines of $VSOKD_LOG" >&2
    tail -n 30 "$VSOKD_LOG" >&2
    kill -TERM "$launched" 2>/dev/null || true
    die "vsokd did not start (expected the socket $VSOKD_SOCK and the pid file $VSOKD_PID)"
}

stop_vsokd() {
    local pid
    if ! pid=$(vsokd_pid); then
        rm -f "$VSOKD_PID"
        return 0
    fi
    kill -TERM "$pid" # drains the requests in progress, then exits
    local deadline=$((SECONDS + 40)) # drain (VSOK_DRAIN_TIMEOUT, 30 s) + margin
    while ((SECONDS < deadline)); do
        group_alive "$pid" || alive "$pid" || break
        sleep 0.1
    done
    if group_alive "$pid" || alive "$pid"; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        say "vsokd (pid $pid) did not stop in 40 s: killed"
    else
        say "vsokd stopped"
    fi
    rm -f "$VSOKD_PID" "$VSOKD_SOCK" "$VSOKD_UPLOAD_SOCK"
}

# ---------------------------------------------------------------- logs

# copytruncate: every writer (vsokd's stderr, nginx, MariaDB's error log) appends
# (O_APPEND), so after the truncation it writes at the new end of the same file; no server
# needs a signal. Lines written between the copy and the truncation are lost (a few at most).
rotate_logs() {
    local max=${VSOK_LOG_MAX:-20971520} f size
    [[ $max =~ ^[0-9]+$ ]] || die "VSOK_LOG_MAX must be a number of bytes"
    for f in "$VAR"/log/*.log; do
        [[ -f $f ]] || continue
        size=$(stat -c %s "$f")
        ((size > max)) || continue
        cp --preserve=mode "$f" "$f.1"
        : >"$f"
        say "rotated $f ($size bytes; the previous lines are in $f.1)"
    done
}

# ---------------------------------------------------------------- the whole stack

wait_health() {
    local i code=000
    for ((i = 0; i < 300; i++)); do # up to 30 s
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/api/v1/health" || true)
        [[ $code == 200 ]] && return 0
        sleep 0.1
    done
    echo "---- GET $URL/api/v1/health answered $code; last lines of the logs:" >&2
    tail -n 20 "$VSOKD_LOG" "$VAR/log/nginx-error.log" >&2 2>/dev/null || true
    die "the stack is not healthy"
}

start() {
    mkdir -p "$VAR"
    rotate_logs
    "$ROOT/sql/db.sh" start
    "$ROOT/sql/db.sh" migrate
    if [[ ${VSOK_SEED_DEMO:-1} == 1 ]]; then
        "$ROOT/sql/db.sh" seed-demo
    fi
    start_vsokd
    "$ROOT/nginx/nginx.sh" start
    wait_health
    say "up: $URL/ (state in $VAR)"
}

stop() {
    "$ROOT/nginx/nginx.sh" stop
    stop_vsokd
    "$ROOT/sql/db.sh" stop
}

status() {
    local rc=0 pid
    "$ROOT/nginx/nginx.sh" status || rc=3
    if pid=$(vsokd_pid); then echo "vsokd running (pid $pid)"; else echo "vsokd not running ($VAR)"; rc=3; fi
    "$ROOT/sql/db.sh" status || rc=3
    return $rc
}

banner() {
    cat <<EOF

  ВСОК ДО is running: $URL/

  Demo logins (password: demo)
    login       role                    scope
    admin       administrator           Энская область (region)
    region      region_coordinator      Энская область (region)
    municipal   municipal_coordinator   Городской округ Энск
    doo         doo_coordinator         МБДОУ «Детский сад № 12 "Солнышко"»
    teacher     teacher                 МБДОУ «Детский сад № 12 "Солнышко"»
    expert      expert                  Городской округ Энск

  Logs: $VAR/log/    Stop: make stop    Start again from scratch: make reset run

EOF
}

fresh() {
    (($# > 0)) || die "usage: stack.sh fresh CMD [ARGS...]"
    case $VAR/ in
    "$ROOT"/var/?*/) ;;
    *) die "fresh wipes \$VAR, so it must be a directory under $ROOT/var/ (VAR=$VAR)" ;;
    esac
    stop >/dev/null
    rm -rf "$VAR"
    trap 'echo "stack.sh: interrupted" >&2; stop; exit 130' INT TERM
    # A separate process: errexit does not work inside a function called as a condition.
    if ! "${BASH_SOURCE[0]}" start; then
        stop
        echo "stack.sh: the stack did not start (logs in $VAR/log)" >&2
        return 125
    fi
    local rc=0
    VSOK_STACK_URL=$URL VSOK_STACK_VAR=$VAR "$@" || rc=$?
    stop
    return $rc
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
start) start ;;
stop) stop ;;
status) status ;;
restart-vsokd) start_vsokd ;;
stop-vsokd) stop_vsokd ;;
reload-nginx) "$ROOT/nginx/nginx.sh" reload ;;
banner) banner ;;
rollups) "$VSOK_BIN" rebuild-rollups ;;
rotate-logs) rotate_logs ;;
fresh) fresh "$@" ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
