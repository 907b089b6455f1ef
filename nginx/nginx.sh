#!/usr/bin/env bash
# The development/test nginx of ВСОК ДО: renders nginx/dev.conf.in into
# $VAR/nginx/nginx.conf and runs nginx with the prefix $VAR/nginx.
#
#   nginx/nginx.sh render     write $VAR/nginx/nginx.conf (and copy the snippets) and check it
#   nginx/nginx.sh start      render, then start nginx, or reload it if it is running
#   nginx/nginx.sh reload     re-render and reload a running nginx
#   nginx/nginx.sh stop       graceful stop (QUIT), waits until it is gone
#   nginx/nginx.sh status
#
# Variables: VAR (default <repo>/var), PORT (default 8080), VSOK_HTTP_HOST (listen address,
# default 127.0.0.1; 0.0.0.0 to try it from a tablet on the same network),
# VSOK_LOGIN_RATE (default 60r/m), VSOK_LOGIN_BURST (default 60), VSOK_PUBLIC_RATE and
# VSOK_PUBLIC_BURST (the parent questionnaire's API, default 120r/m and 60), VSOK_DIST (the SPA
# files, default <repo>/frontend/dist), VSOK_NGINX_API and VSOK_NGINX_UPLOAD (where the API
# and the uploads go: default the unix sockets of $VAR/run; make cluster names upstreams
# defined in $VAR/nginx/http.d/), VSOK_NGINX_UPLOADS (the evidence directory served by
# X-Accel-Redirect, default $VAR/uploads), VSOK_NGINX_BODY_TEMP (where upload chunks are
# buffered; vsokd reads them by path, so behind several hosts it must be a directory they
# all see; default $VAR/nginx/client_body_temp).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${VAR:-var}
[[ $VAR = /* ]] || VAR=$ROOT/$VAR
PORT=${PORT:-8080}
HOST=${VSOK_HTTP_HOST:-127.0.0.1}
LOGIN_RATE=${VSOK_LOGIN_RATE:-60r/m}
LOGIN_BURST=${VSOK_LOGIN_BURST:-60}
PUBLIC_RATE=${VSOK_PUBLIC_RATE:-120r/m}
PUBLIC_BURST=${VSOK_PUBLIC_BURST:-60}
DIST=${VSOK_DIST:-$ROOT/frontend/dist}
API_PASS=${VSOK_NGINX_API:-unix:$VAR/run/vsokd.sock}
UPLOAD_PASS=${VSOK_NGINX_UPLOAD:-unix:$VAR/run/vsokd-upload.sock}
UPLOADS=${VSOK_NGINX_UPLOADS:-$VAR/uploads}
BODY_TEMP=${VSOK_NGINX_BODY_TEMP:-$VAR/nginx/client_body_temp}

PREFIX=$VAR/nginx
CONF=$PREFIX/nginx.conf
PIDFILE=$PREFIX/nginx.pid
ERRLOG=$VAR/log/nginx-error.log

die() { printf 'nginx.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'nginx.sh: %s\n' "$*"; }

[[ $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number"
[[ $LOGIN_RATE =~ ^[0-9]+r/[sm]$ ]] || die "VSOK_LOGIN_RATE looks like 60r/m"
[[ $LOGIN_BURST =~ ^[0-9]+$ ]] || die "VSOK_LOGIN_BURST must be a number"
[[ $PUBLIC_RATE =~ ^[0-9]+r/[sm]$ ]] || die "VSOK_PUBLIC_RATE looks like 120r/m"
[[ $PUBLIC_BURST =~ ^[0-9]+$ ]] || die "VSOK_PUBLIC_BURST must be a number"

ngx() { nginx -p "$PREFIX/" -c "$CONF" -e stderr "$@"; }

# True when the process exists and is not a zombie (an exited child not yet reaped).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

running_pid() {
    local pid
    [[ -r $PIDFILE ]] || return 1
    pid=$(<"$PIDFILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nginx ]] || return 1
    echo "$pid"
}

# sed replacement text: escape \, & and the delimiter |
esc() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }

render() {
    mkdir -p "$PREFIX/snippets" "$PREFIX/server.d" "$PREFIX/http.d" "$VAR/log" "$VAR/run"
    cp "$ROOT"/nginx/snippets/*.conf "$PREFIX/snippets/"
    local user_directive
    user_directive="# user: not started as root, the workers keep the user $(id -un)"
    [[ $EUID -eq 0 ]] && user_directive="user root;"
    local listen=$HOST:$PORT
    [[ $HOST == *:* ]] && listen="[$HOST]:$PORT"
    sed -e "s|@VAR@|$(esc "$VAR")|g" \
        -e "s|@DIST@|$(esc "$DIST")|g" \
        -e "s|@LISTEN@|$(esc "$listen")|g" \
        -e "s|@API_PASS@|$(esc "$API_PASS")|g" \
        -e "s|@UPLOAD_PASS@|$(esc "$UPLOAD_PASS")|g" \
        -e "s|@UPLOADS@|$(esc "$UPLOADS")|g" \
        -e "s|@BODY_TEMP@|$(esc "$BODY_TEMP")|g" \
        -e "s|@USER_DIRECTIVE@|$(esc "$user_directive")|g" \
        -e "s|@LOGIN_RATE@|$LOGIN_RATE|g" \
        -e "s|@LOGIN_BURST@|$LOGIN_BURST|g" \
        -e "s|@PUBLIC_RATE@|$PUBLIC_RATE|g" \
        -e "s|@PUBLIC_BURST@|$PUBLIC_BURST|g" \
        "$ROOT/nginx/dev.conf.in" >"$CONF.new"
    if grep -q '@[A-Z_]*@' "$CONF.new"; then
        die "unreplaced placeholder in $CONF.new: $(grep -o '@[A-Z_]*@' "$CONF.new" | head -n1)"
    fi
    if ! nginx -p "$PREFIX/" -c "$CONF.new" -e stderr -t -q 2>"$PREFIX/config-test.log"; then
        cat "$PREFIX/config-test.log" >&2
        die "the rendered configuration is not valid ($CONF.new)"
    fi
    mv "$CONF.new" "$CONF"
}

start() {
    local pid
    render
    if pid=$(running_pid); then
        ngx -s reload
        say "nginx reloaded (pid $pid, http://$HOST:$PORT/)"
        return 0
    fi
    rm -f "$PIDFILE"
    if ! ngx; then
        tail -n 20 "$ERRLOG" >&2 2>/dev/null || true
        die "nginx did not start"
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        pid=$(running_pid) && break
        sleep 0.1
    done
    [[ -n ${pid:-} ]] || die "nginx did not write $PIDFILE"
    say "nginx started (pid $pid, http://$HOST:$PORT/)"
}

reload() {
    local pid
    pid=$(running_pid) || die "nginx is not running ($VAR)"
    render
    ngx -s reload
    say "nginx reloaded (pid $pid)"
}

stop() {
    local pid i
    if ! pid=$(running_pid); then
        rm -f "$PIDFILE"
        return 0
    fi
    kill -QUIT "$pid" # graceful: finish the requests in progress
    for ((i = 0; i < 100; i++)); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
        say "nginx (pid $pid) did not quit in 10 s: killed"
    else
        say "nginx stopped"
    fi
    rm -f "$PIDFILE"
}

status() {
    local pid
    if pid=$(running_pid); then
        echo "nginx running (pid $pid)"
    else
        echo "nginx not running ($VAR)"
        return 3
    fi
}

case ${1:-} in
render) render ;;
start) start ;;
reload) reload ;;
stop) stop ;;
status) status ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
