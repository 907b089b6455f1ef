#!/usr/bin/env bash
# ВСОК ДО database tool: a private MariaDB instance for development and tests, and the
# migrations / demo seed / admin account / backup commands for any MariaDB (private or
# production).
#
#   sql/db.sh start | stop | status          the private instance under $VAR (default var/)
#   sql/db.sh migrate                        apply sql/migrations/NNN_*.sql not yet applied,
#                                            store new versions of sql/instruments/*.json,
#                                            then grant (below)
#   sql/db.sh grant                          give the application's user exactly its rights
#                                            on every table (docs/runtime.md, "Database users")
#   sql/db.sh seed-demo                      load sql/seed/demo.sql once (development/tests only)
#   sql/db.sh create-admin LOGIN "FULL NAME" "REGION NAME"
#                                            first administrator (password asked or on stdin)
#   sql/db.sh shell [mariadb args]           mariadb client connected to the database
#   sql/db.sh dump                           mariadb-dump of the database to stdout
#   sql/db.sh backup DIR                     database, evidence, signing key and configuration
#   sql/db.sh restore [--replace] DIR        into DIR, checked; and back (sql/backup.sh)
#
# The private instance (start/stop/status) never reads the system's option files and never
# touches /var/lib/mysql or /run/mysqld: every server and client call uses its own options.
#
# Two database users: the schema owner, who runs the migrations (DDL) and every command of
# this tool, and the application's user, that vsokd connects as, with only the rights it
# needs (no DDL; audit_log only SELECT and INSERT). The variables are vsokd's own
# (docs/runtime.md), defaulting to the private instance:
#   VSOK_DB_HOST / VSOK_DB_PORT    TCP (empty host: unix socket VSOK_DB_SOCKET)
#   VSOK_DB_SOCKET                 default $VAR/run/mysqld.sock
#   VSOK_DB_NAME                   default vsok
#   VSOK_DB_OWNER                  the schema owner, default vsok
#   VSOK_DB_OWNER_PASSWORD or VSOK_DB_OWNER_PASSWORD_FILE (default $VAR/secrets/db.password;
#                                  set it to an empty string for socket authentication,
#                                  e.g. VSOK_DB_OWNER=root as root)
#   VSOK_DB_USER                   the application's user (vsokd), default vsok_app; `grant`
#                                  gives the rights to VSOK_DB_USER@VSOK_DB_APP_HOST
#                                  (default localhost); it must not be the owner
# So in production:  set -a; . /etc/vsok/vsokd.env; set +a; sql/db.sh migrate
# which is what the vsok package's `vsok-admin migrate` does (docs/install.md).
#
# Other variables: VAR (state directory, default <repo>/var), VSOK_BIN (vsokd binary used
# to hash passwords, default build/release/vsokd), VSOK_DB_TCP_PORT (give the private
# instance a TCP port on 127.0.0.1; default none), VSOK_DB_BUFFER_POOL (default 128M),
# VSOK_DB_SERVER_ARGS (more mariadbd options for the private instance, e.g. --server-id and
# --log-bin of a replication primary: make cluster), VSOK_DB_BOOTSTRAP (default 1; 0: start
# creates no database and no users, as on a replica, which gets them from its primary).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${VAR:-var}
[[ $VAR = /* ]] || VAR=$ROOT/$VAR

DATADIR=$VAR/db
RUNDIR=$VAR/run
LOGDIR=$VAR/log
SECRETS=$VAR/secrets
SOCK=$RUNDIR/mysqld.sock
PIDFILE=$RUNDIR/mysqld.pid
LOG=$LOGDIR/mysqld.log
PASSFILE=$SECRETS/db.password         # the owner's, vsok@localhost
APP_PASSFILE=$SECRETS/db-app.password # the application's, vsok_app@localhost

DB_HOST=${VSOK_DB_HOST:-}
DB_PORT=${VSOK_DB_PORT:-3306}
DB_SOCKET=${VSOK_DB_SOCKET:-$SOCK}
DB_NAME=${VSOK_DB_NAME:-vsok}
DB_USER=${VSOK_DB_OWNER:-vsok}
DB_PASSWORD=${VSOK_DB_OWNER_PASSWORD:-}
DB_PASSWORD_FILE=${VSOK_DB_OWNER_PASSWORD_FILE-$PASSFILE}
APP_USER=${VSOK_DB_USER:-vsok_app}
APP_HOST=${VSOK_DB_APP_HOST:-localhost}
VSOK_BIN=${VSOK_BIN:-$ROOT/build/release/vsokd}
[[ $VSOK_BIN = /* ]] || VSOK_BIN=$ROOT/$VSOK_BIN

die() { printf 'db.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'db.sh: %s\n' "$*"; }

# ---------------------------------------------------------------- private instance

# True when the process exists and is not a zombie (an exited child not yet reaped).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

server_pid() {
    # Prints the pid of the private mariadbd if it is running (pid file + live process).
    local pid
    [[ -r $PIDFILE ]] || return 1
    pid=$(<"$PIDFILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == mariadbd ]] || return 1
    echo "$pid"
}

# The admin account of the private instance: the OS user, authenticated by unix_socket
# (mariadb-install-db creates root@localhost and <os user>@localhost that way).
admin() {
    mariadb --no-defaults --protocol=SOCKET --socket="$SOCK" --user="$(id -un)" \
        --default-character-set=utf8mb4 --batch "$@"
}

ping_server() {
    mariadb-admin --no-defaults --protocol=SOCKET --socket="$SOCK" --user="$(id -un)" \
        --connect-timeout=2 ping >/dev/null 2>&1
}

install_datadir() {
    say "creating a new MariaDB data directory in $DATADIR"
    local userarg=()
    [[ $EUID -eq 0 ]] && userarg=(--user=root)
    mkdir -p "$DATADIR"
    if ! mariadb-install-db --no-defaults --datadir="$DATADIR" "${userarg[@]}" \
        --auth-root-authentication-method=socket --skip-test-db \
        --skip-name-resolve >>"$LOG" 2>&1; then
        tail -n 30 "$LOG" >&2
        rm -rf "$DATADIR"
        die "mariadb-install-db failed (log: $LOG)"
    fi
}

start_server() {
    local pid
    if pid=$(server_pid); then
        say "MariaDB already running (pid $pid)"
        maybe_bootstrap # a data directory of an older version gets the users it lacks
        return 0
    fi
    mkdir -p "$RUNDIR" "$LOGDIR" "$SECRETS"
    chmod 0700 "$SECRETS"
    rm -f "$PIDFILE" "$SOCK"
    [[ -d $DATADIR/mysql ]] || install_datadir

    local args=(
        --no-defaults
        --datadir="$DATADIR"
        --socket="$SOCK"
        --pid-file="$PIDFILE"
        --log-error="$LOG"
        --character-set-server=utf8mb4
        --collation-server=utf8mb4_unicode_ci
        --innodb-buffer-pool-size="${VSOK_DB_BUFFER_POOL:-128M}"
        --innodb-log-file-size=64M
        --innodb-flush-log-at-trx-commit=2
        --max-connections=200
        --skip-name-resolve
        --tmpdir="$RUNDIR"
    )
    if [[ -n ${VSOK_DB_TCP_PORT:-} ]]; then
        args+=(--port="$VSOK_DB_TCP_PORT" --bind-address=127.0.0.1)
    else
        args+=(--skip-networking)
    fi
    [[ $EUID -eq 0 ]] && args+=(--user=root)
    local extra=()
    read -ra extra <<<"${VSOK_DB_SERVER_ARGS:-}"
    args+=("${extra[@]}")

    # setsid: its own session, so no terminal signal (SIGINT, SIGHUP) reaches it.
    setsid mariadbd "${args[@]}" </dev/null >>"$LOG" 2>&1 &
    pid=$!

    local i
    for ((i = 0; i < 600; i++)); do # up to 60 s
        if ping_server; then
            say "MariaDB started (pid $pid, socket $SOCK)"
            maybe_bootstrap
            return 0
        fi
        if ! alive "$pid"; then
            break
        fi
        sleep 0.1
    done
    echo "---- last lines of $LOG" >&2
    tail -n 30 "$LOG" >&2
    kill "$pid" 2>/dev/null || true
    die "MariaDB did not start"
}

# A random hex password in a 0600 file, made when missing; prints it.
password_file() {
    if [[ ! -s $1 ]]; then
        (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1")
    fi
    chmod 0600 "$1"
    local pw
    pw=$(<"$1")
    [[ $pw =~ ^[0-9a-f]+$ ]] || die "$1: expected a hex password"
    printf '%s' "$pw"
}

# Database `vsok`, its owner vsok@localhost (every right on it, and the right to grant
# them: `grant` runs as the owner) and the application's user vsok_app@localhost, whose
# table rights `grant` gives after the migrations. Passwords in $PASSFILE and $APP_PASSFILE.
# Runs on every start: cheap, and keeps the users in step with the password files.
bootstrap() {
    local pw apppw
    pw=$(password_file "$PASSFILE")
    apppw=$(password_file "$APP_PASSFILE")
    admin <<SQL
CREATE DATABASE IF NOT EXISTS \`vsok\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'vsok'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'vsok'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON \`vsok\`.* TO 'vsok'@'localhost' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'vsok_app'@'localhost' IDENTIFIED BY '$apppw';
ALTER USER 'vsok_app'@'localhost' IDENTIFIED BY '$apppw';
SQL
}

maybe_bootstrap() {
    [[ ${VSOK_DB_BOOTSTRAP:-1} == 0 ]] || bootstrap
}

stop_server() {
    local pid i
    if ! pid=$(server_pid); then
        rm -f "$PIDFILE"
        return 0
    fi
    kill -TERM "$pid" # a normal shutdown, as mariadb-admin shutdown does
    for ((i = 0; i < 1200; i++)); do # up to 120 s
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
        say "MariaDB (pid $pid) did not stop in 120 s: killed"
    else
        say "MariaDB stopped"
    fi
    rm -f "$PIDFILE" "$SOCK"
}

status_server() {
    local pid
    if pid=$(server_pid); then
        echo "MariaDB running (pid $pid, socket $SOCK)"
    else
        echo "MariaDB not running ($VAR)"
        return 3
    fi
}

# ---------------------------------------------------------------- client side

CNF=
cleanup() { [[ -z $CNF ]] || rm -f "$CNF"; }
trap cleanup EXIT

# Writes a private client option file (read with --defaults-file, so no system option
# file is read and the password never shows up in `ps`).
client_cnf() {
    [[ -n $CNF ]] && return 0
    local pw=
    if [[ -n $DB_PASSWORD ]]; then
        pw=$DB_PASSWORD
    elif [[ -n $DB_PASSWORD_FILE ]]; then
        [[ -r $DB_PASSWORD_FILE ]] || die "cannot read the password file $DB_PASSWORD_FILE"
        pw=$(<"$DB_PASSWORD_FILE")
    fi
    CNF=$(mktemp "${TMPDIR:-/tmp}/vsok-db.XXXXXX")
    {
        echo "[client]"
        echo "user=$DB_USER"
        if [[ -n $pw ]]; then
            pw=${pw//\\/\\\\}
            echo "password=\"${pw//\"/\\\"}\""
        fi
        if [[ -n $DB_HOST ]]; then
            echo "protocol=TCP"
            echo "host=$DB_HOST"
            echo "port=$DB_PORT"
        else
            echo "protocol=SOCKET"
            echo "socket=$DB_SOCKET"
        fi
        echo "default-character-set=utf8mb4"
    } >"$CNF"
}

db() { # batch client on the database: SQL on stdin or -e
    client_cnf
    mariadb --defaults-file="$CNF" --batch "$@" "$DB_NAME"
}

# A value for a single-quoted SQL string literal.
sql_quote() {
    local s=${1//\\/\\\\}
    printf '%s' "${s//\'/\'\'}"
}

migrate() {
    app_user_check
    db <<'SQL' || die "cannot connect to the database (is it running? try: sql/db.sh start)"
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INT UNSIGNED NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
SQL
    local applied
    applied=" $(db --skip-column-names -e 'SELECT version FROM schema_migrations' | tr '\n' ' ') "

    local f base name version count=0 seen=" "
    shopt -s nullglob
    for f in "$ROOT"/sql/migrations/*.sql; do
        base=$(basename "$f")
        [[ $base =~ ^([0-9]{3})_([A-Za-z0-9_]+)\.sql$ ]] ||
            die "$base: migration files are named NNN_name.sql"
        version=$((10#${BASH_REMATCH[1]}))
        name=${base%.sql}
        [[ $seen == *" $version "* ]] && die "two migrations with version $version"
        seen+="$version "
        [[ $applied == *" $version "* ]] && continue
        say "applying $base"
        # The client stops at the first error, so the version is recorded only when every
        # statement of the file succeeded.
        if ! { cat "$f"; printf '\nINSERT INTO schema_migrations (version, name) VALUES (%d, '\''%s'\'');\n' \
            "$version" "$name"; } | db; then
            die "migration $base failed; nothing after it was applied"
        fi
        count=$((count + 1))
    done
    if ((count == 0)); then say "database is up to date"; else say "$count migration(s) applied"; fi
    load_instruments
    grant
}

# vsokd must not connect as the schema owner: the owner may TRUNCATE audit_log or drop its
# triggers (README.md, "Updates", for a server set up with one user).
app_user_check() {
    [[ $APP_USER != "$DB_USER" ]] ||
        die "VSOK_DB_USER ($APP_USER) is the schema owner: vsokd needs a user of its own (README.md, \"Database users\")"
    [[ $APP_USER =~ ^[A-Za-z0-9_]{1,80}$ && $APP_HOST =~ ^[A-Za-z0-9_.%:-]{1,255}$ ]] ||
        die "VSOK_DB_USER / VSOK_DB_APP_HOST: letters, digits and _ (host also . % : -)"
}

# The application's rights, table by table (MariaDB has no partial revokes: a right on the
# whole database would cover audit_log too). Re-run after every migration (migrate does),
# because a new table needs its grant; it only adds rights.
#   audit_log          SELECT, INSERT (append-only; its triggers refuse UPDATE and DELETE
#                      even to the owner, and the application cannot TRUNCATE or drop them)
#   schema_migrations  nothing (only this tool reads and writes it)
#   rollup_*           DML, and CREATE, DROP, ALTER on these tables and on their shadow
#                      names rollup_*_new and rollup_*_old: a rebuild (also from the API, in
#                      a worker) may fill a shadow table and swap it in with RENAME TABLE
#   other tables       SELECT, INSERT, UPDATE, DELETE
#   views              SELECT
# No routine exists, so no EXECUTE.
GRANT_DML='SELECT, INSERT, UPDATE, DELETE'
GRANT_ROLLUP='SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER'

grant_sql() { # "name<TAB>type" lines on stdin
    local to="TO '$APP_USER'@'$APP_HOST'" name type
    while IFS=$'\t' read -r name type; do
        [[ $name =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected table name: $name"
        case $type:$name in
        VIEW:*) echo "GRANT SELECT ON \`$name\` $to;" ;;
        *:schema_migrations) ;;
        *:audit_log) echo "GRANT SELECT, INSERT ON \`$name\` $to;" ;;
        *:rollup_*_new | *:rollup_*_old) ;;
        *:rollup_*)
            echo "GRANT $GRANT_ROLLUP ON \`$name\` $to;"
            echo "GRANT $GRANT_ROLLUP ON \`${name}_new\` $to;"
            echo "GRANT $GRANT_ROLLUP ON \`${name}_old\` $to;"
            ;;
        *) echo "GRANT $GRANT_DML ON \`$name\` $to;" ;;
        esac
    done
}

grant() {
    app_user_check
    local tables sql
    tables=$(db --skip-column-names -e "SELECT table_name, table_type FROM information_schema.tables
        WHERE table_schema = DATABASE() ORDER BY table_name") || die "cannot read the tables of $DB_NAME"
    sql=$(grant_sql <<<"$tables")
    [[ -n $sql ]] || die "no tables in $DB_NAME (run sql/db.sh migrate)"
    db <<<"$sql" || die "could not grant $APP_USER@$APP_HOST its rights (does the user exist? README.md, step 3)"
    say "$APP_USER@$APP_HOST: $(grep -c "^GRANT" <<<"$sql") table grant(s)"
}

# The instruments shipped with the product (sql/instruments/*.json): vsokd checks each file
# and stores the versions the database does not have yet.
load_instruments() {
    [[ -x $VSOK_BIN ]] || die "$VSOK_BIN not found: build it first (make build)"
    local files=("$ROOT"/sql/instruments/*.json)
    ((${#files[@]})) || return 0
    VSOK_DB_HOST=$DB_HOST VSOK_DB_PORT=$DB_PORT VSOK_DB_SOCKET=$DB_SOCKET VSOK_DB_NAME=$DB_NAME \
        VSOK_DB_USER=$DB_USER VSOK_DB_PASSWORD=$DB_PASSWORD VSOK_DB_PASSWORD_FILE=$DB_PASSWORD_FILE \
        "$VSOK_BIN" load-instruments "${files[@]}" ||
        die "the instruments in sql/instruments could not be loaded"
}

hash_password() { # password on stdin -> argon2id encoded hash on stdout
    [[ -x $VSOK_BIN ]] || die "$VSOK_BIN not found: build it first (make build)"
    local h
    h=$("$VSOK_BIN" hash-password) || die "$VSOK_BIN hash-password failed"
    h=${h%%$'\n'*}
    [[ $h =~ ^\$argon2id\$[A-Za-z0-9+/=,\$]+$ ]] || die "unexpected output of vsokd hash-password: $h"
    printf '%s' "$h"
}

seed_demo() {
    local n
    n=$(db --skip-column-names -e \
        "SELECT COUNT(*) FROM users WHERE login IN ('admin','region','municipal','doo','teacher','expert')") ||
        die "cannot read users (run sql/db.sh migrate first)"
    if ((n > 0)); then
        say "demo data already present"
        return 0
    fi
    local hash
    hash=$(printf '%s' demo | hash_password)
    { printf "SET @demo_hash = '%s';\n" "$hash"; cat "$ROOT/sql/seed/demo.sql"; } | db ||
        die "loading sql/seed/demo.sql failed"
    say "demo data loaded (logins admin, region, municipal, doo, teacher, expert; password demo)"
}

create_admin() {
    (($# == 3)) || die 'usage: sql/db.sh create-admin LOGIN "FULL NAME" "REGION NAME"'
    local login=$1 full_name=$2 region=$3 pw pw2 hash
    [[ $login =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "login: letters, digits, . _ - (at most 64)"
    if [[ -t 0 ]]; then
        read -rsp "Password for $login: " pw && echo
        read -rsp "Again: " pw2 && echo
        [[ $pw == "$pw2" ]] || die "the passwords differ"
    else
        IFS= read -r pw || true
    fi
    ((${#pw} >= 10)) || die "use a password of at least 10 characters"
    hash=$(printf '%s' "$pw" | hash_password)
    db <<SQL || die "could not create the administrator"
START TRANSACTION;
SET @region := (SELECT id FROM org_units WHERE parent_id IS NULL AND level = 'region' ORDER BY id LIMIT 1);
INSERT INTO org_units (parent_id, level, path, name)
    SELECT NULL, 'region', CONCAT('/tmp/', UUID(), '/'), '$(sql_quote "$region")' FROM DUAL WHERE @region IS NULL;
SET @region := COALESCE(@region, LAST_INSERT_ID());
UPDATE org_units SET path = CONCAT('/', id, '/') WHERE id = @region AND path LIKE '/tmp/%';
INSERT INTO users (login, password_hash, full_name, role, org_unit_id, must_change_password)
    VALUES ('$(sql_quote "$login")', '$hash', '$(sql_quote "$full_name")', 'administrator', @region, 0);
COMMIT;
SQL
    say "administrator $login created (scope: the region)"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
start) start_server ;;
stop) stop_server ;;
status) status_server ;;
migrate) migrate ;;
grant) grant ;;
seed-demo) seed_demo ;;
create-admin) create_admin "$@" ;;
shell)
    client_cnf
    mariadb --defaults-file="$CNF" "$@" "$DB_NAME"
    ;;
dump)
    client_cnf
    mariadb-dump --defaults-file="$CNF" --single-transaction --routines --triggers \
        --events --hex-blob "$@" "$DB_NAME"
    ;;
backup | restore) exec "$ROOT/sql/backup.sh" "$cmd" "$@" ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    [[ -z $cmd || $cmd == help || $cmd == -h || $cmd == --help ]] || exit 2
    ;;
esac
