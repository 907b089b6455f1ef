#!/usr/bin/env bash
# Several servers of ВСОК ДО on one machine, as they would run on several (make cluster,
# docs/scaling.md): a MariaDB primary and one replica with GTID replication, two vsokd
# "hosts" (each its own state directory, master and workers) on that database, one nginx
# with an upstream over both, and one evidence directory both hosts use (standing in for
# NFS or another shared filesystem). All state under var/cluster/.
#
#   cluster.sh start         start what is not running (the first start creates the
#                            databases, applies the migrations, loads the demo data and
#                            sets up replication); waits until /api/v1/health answers
#   cluster.sh stop          nginx, both hosts, the replica, the primary
#   cluster.sh status        one line per server; exit 3 when one is not running
#   cluster.sh kill-host A|B kill -9 that host's master and workers (no drain)
#   cluster.sh start-host A|B | stop-host A|B   (stop: drains, as for maintenance)
#   cluster.sh stop-replica | start-replica | wait-replica [SECONDS]
#   cluster.sh sql-primary | sql-replica [mariadb args]   a client as the OS user (admin)
#
# Ports (CLUSTER_PORT, default 38108): nginx CLUSTER_PORT, the primary CLUSTER_PORT+2, the
# replica CLUSTER_PORT+3 (TCP on 127.0.0.1: replication runs over TCP, as between
# machines); vsokd reaches both databases through their unix sockets.
# Variables: CLUSTER_VAR (default var/cluster), VSOK_BIN (default build/release/vsokd),
# VSOK_WORKERS (per host, default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CL=${CLUSTER_VAR:-var/cluster}
[[ $CL = /* ]] || CL=$ROOT/$CL
PORT=${CLUSTER_PORT:-38108}
[[ $PORT =~ ^[0-9]+$ ]] || { echo "cluster.sh: CLUSTER_PORT must be a number" >&2; exit 1; }
PRIMARY_PORT=$((PORT + 2))
REPLICA_PORT=$((PORT + 3))
export VSOK_BIN=${VSOK_BIN:-build/release/vsokd}
export VSOK_WORKERS=${VSOK_WORKERS:-2}
export VSOK_UPLOAD_WORKERS=${VSOK_UPLOAD_WORKERS:-1}

PRIMARY=$CL/primary
REPLICA=$CL/replica
SHARED=$CL/shared
LB=$CL/nginx

die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'cluster.sh: %s\n' "$*"; }

# ---------------------------------------------------------------- MariaDB

# sql/db.sh on the primary: binary log with GTIDs in row format, as a replication source.
primary_db() {
    VAR=$PRIMARY VSOK_DB_TCP_PORT=$PRIMARY_PORT \
        VSOK_DB_SERVER_ARGS="--server-id=1 --log-bin=mysql-bin --binlog-format=ROW --gtid-strict-mode=ON --log-bin-trust-function-creators=ON" \
        VSOK_DB_HOST='' VSOK_DB_SOCKET=$PRIMARY/run/mysqld.sock \
        VSOK_DB_OWNER_PASSWORD_FILE=$PRIMARY/secrets/db.password \
        VSOK_DB_PASSWORD_FILE=$PRIMARY/secrets/db-app.password \
        "$ROOT/sql/db.sh" "$@"
}

# sql/db.sh on the replica: read-only for every user but the replication thread and the
# admin; its database, users and rows come from the primary (no bootstrap of its own).
replica_db() {
    VAR=$REPLICA VSOK_DB_TCP_PORT=$REPLICA_PORT VSOK_DB_BOOTSTRAP=0 \
        VSOK_DB_SERVER_ARGS="--server-id=2 --read-only=ON --relay-log=relay-bin --gtid-strict-mode=ON" \
        "$ROOT/sql/db.sh" "$@"
}

# The admin client (the OS user over the socket, unix_socket authentication).
admin_sql() { # DIR [mariadb args]
    local dir=$1
    shift
    mariadb --no-defaults --protocol=SOCKET --socket="$dir/run/mysqld.sock" --user="$(id -un)" \
        --default-character-set=utf8mb4 --batch "$@"
}

repl_password() {
    local f=$PRIMARY/secrets/repl.password
    [[ -s $f ]] || (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f")
    cat "$f"
}

# First start of the primary: schema, demo data, the replication user, and the right of the
# application's user to read the replica's state (SHOW SLAVE STATUS: /health, routing).
# Every statement goes to the binary log, so the replica replays all of it.
start_primary() {
    primary_db start
    [[ -f $PRIMARY/.set-up ]] && return 0
    primary_db migrate
    primary_db seed-demo
    local pw
    pw=$(repl_password)
    admin_sql "$PRIMARY" <<SQL
CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'vsok_app'@'localhost';
SQL
    touch "$PRIMARY/.set-up"
}

# First start of the replica: CHANGE MASTER TO with MASTER_USE_GTID=slave_pos from an empty
# position, so it replays the primary's binary log from its first event. Later starts
# resume by themselves (the server keeps its replication settings).
start_replica() {
    replica_db start
    [[ -f $REPLICA/.set-up ]] && return 0
    local pw
    pw=$(repl_password)
    admin_sql "$REPLICA" <<SQL
SET GLOBAL gtid_slave_pos = '';
CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT, MASTER_USER = 'repl',
    MASTER_PASSWORD = '$pw', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;
START SLAVE;
SQL
    touch "$REPLICA/.set-up"
    wait_caught_up 120
}

# Waits (up to $1 seconds) until the replica has applied everything the primary has written.
wait_caught_up() {
    local limit=$1 gtid r
    gtid=$(admin_sql "$PRIMARY" -N -e 'SELECT @@gtid_binlog_pos')
    [[ -n $gtid ]] || return 0
    r=$(admin_sql "$REPLICA" -N -e "SELECT MASTER_GTID_WAIT('$gtid', $limit)")
    [[ $r == 0 ]] || die "the replica did not reach $gtid in $limit s (log: $REPLICA/log/mysqld.log)"
    say "replica caught up ($gtid)"
}

# ---------------------------------------------------------------- vsokd hosts and nginx

# backend/deploy/stack.sh for host A or B: its own state directory, the primary's database,
# the replica for the dashboards, the shared evidence directory and signing key.
host() { # A|B stack.sh-command
    local name=${1,,}
    VAR=$CL/host-$name VSOK_STACK_DB_VAR=$PRIMARY VSOK_STACK_UPLOADS=$SHARED/uploads \
        VSOK_STACK_JWT_KEY=$SHARED/jwt.key VSOK_DB_REPLICA_SOCKET=$REPLICA/run/mysqld.sock \
        VSOK_DB_REPLICA_HOST='' VSOK_DB_REPLICA_MAX_LAG=${VSOK_DB_REPLICA_MAX_LAG:-5} \
        VSOK_PUBLIC_URL=http://127.0.0.1:$PORT \
        "$ROOT/backend/deploy/stack.sh" "$2"
}

check_host() {
    [[ $1 == A || $1 == B ]] || die "the hosts are A and B"
}

# Passive health checks: a server that failed once is left out for 5 s, then tried again.
write_upstreams() {
    mkdir -p "$LB/nginx/http.d"
    local a=$CL/host-a/run b=$CL/host-b/run
    cat >"$LB/nginx/http.d/upstreams.conf" <<EOF
# Written by backend/deploy/cluster.sh: the two vsokd hosts.
upstream vsok_api {
    server unix:$a/vsokd.sock max_fails=1 fail_timeout=5s;
    server unix:$b/vsokd.sock max_fails=1 fail_timeout=5s;
}
upstream vsok_upload {
    server unix:$a/vsokd-upload.sock max_fails=1 fail_timeout=5s;
    server unix:$b/vsokd-upload.sock max_fails=1 fail_timeout=5s;
}
EOF
}

nginx_lb() {
    VAR=$LB PORT=$PORT VSOK_HTTP_HOST=127.0.0.1 VSOK_NGINX_API=vsok_api \
        VSOK_NGINX_UPLOAD=vsok_upload VSOK_NGINX_UPLOADS=$SHARED/uploads \
        VSOK_NGINX_BODY_TEMP=$SHARED/nginx-body "$ROOT/nginx/nginx.sh" "$@"
}

wait_health() {
    local i code=000
    for ((i = 0; i < 300; i++)); do
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/health" || true)
        [[ $code == 200 ]] && return 0
        sleep 0.1
    done
    die "GET /api/v1/health answered $code (logs in $CL/*/log)"
}

start() {
    mkdir -p "$SHARED/uploads" "$SHARED/nginx-body"
    start_primary
    start_replica
    # Host A makes the signing key in the shared directory on its first start; B reads it.
    host A restart-vsokd
    host B restart-vsokd
    write_upstreams
    nginx_lb start
    wait_health
    say "up: http://127.0.0.1:$PORT/ (primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT, state in $CL)"
}

stop() {
    nginx_lb stop
    host A stop-vsokd
    host B stop-vsokd
    replica_db stop
    primary_db stop
}

status() {
    local rc=0
    nginx_lb status || rc=3
    host A status 2>/dev/null | grep vsokd || rc=3
    host B status 2>/dev/null | grep vsokd || rc=3
    primary_db status || rc=3
    replica_db status || rc=3
    return $rc
}

# SIGKILL to every process of the host's process group (its master and workers), as a
# machine that loses power: nothing drains.
kill_host() {
    check_host "$1"
    local pidfile=$CL/host-${1,,}/run/vsokd.pid pid
    pid=$(cat "$pidfile" 2>/dev/null) || die "host $1 is not running"
    [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == vsokd ]] || die "host $1 is not running"
    kill -KILL -- "-$pid"
    say "host $1: master and workers killed (process group $pid)"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
start) start ;;
stop) stop ;;
status) status ;;
kill-host) kill_host "${1:-}" ;;
start-host) check_host "${1:-}" && host "$1" restart-vsokd ;;
stop-host) check_host "${1:-}" && host "$1" stop-vsokd ;;
stop-replica) replica_db stop ;;
start-replica) replica_db start ;;
wait-replica) wait_caught_up "${1:-60}" ;;
sql-primary) admin_sql "$PRIMARY" "$@" ;;
sql-replica) admin_sql "$REPLICA" "$@" ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
