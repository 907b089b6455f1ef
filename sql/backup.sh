#!/usr/bin/env bash
# Backup and restore of a ВСОК ДО installation (called by sql/db.sh backup | restore):
# the database, the evidence files, the token signing key and the configuration.
#
#   sql/db.sh backup DIR               write a new backup into DIR (it must not exist)
#   sql/db.sh restore [--replace] DIR  check DIR and restore it: into an empty database
#                                      (--replace: drop every table of the database first)
#
# A backup directory holds
#   database.sql.gz   mariadb-dump --single-transaction (one consistent snapshot, no lock on
#                     the application), checked: the dump ended ("-- Dump completed") and
#                     the gzip stream is whole
#   objects/ab/cd/<sha256>   the evidence files by content address, copied after the dump:
#                     stored files never change and the sweep cannot delete one while the
#                     backup holds the shared lock on uploads/.objects.lock, so every file
#                     the dump names is there; each copy is checked against its name
#   secrets/jwt.key   the token signing key (VSOK_JWT_KEY_FILE)
#   config/           the files of VSOK_CONFIG_DIR (production: /etc/vsok), when set
#   backup.info       when, the database, the schema version, the number of files
#   SHA256SUMS        every file above: `cd DIR && sha256sum -c --quiet SHA256SUMS`
# It is written as DIR.part and renamed to DIR only when complete and checked.
# Not saved: uploads in progress (restore forgets them; the clients send those files
# again) and derived/ (previews and copies without location data, made again on request).
#
# VSOK_BACKUP_LINK_DEST=PREVIOUS_BACKUP: evidence files already in that backup are hard
# links to it (same filesystem), so a nightly backup copies only the new evidence.
#
# Variables as sql/db.sh and vsokd: VSOK_DB_* (the schema owner connects), VSOK_UPLOADS_DIR
# (default $VAR/uploads), VSOK_JWT_KEY_FILE (default $VAR/secrets/jwt.key), VSOK_CONFIG_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${VAR:-var}
[[ $VAR = /* ]] || VAR=$ROOT/$VAR
export VAR
DBSH=$ROOT/sql/db.sh
UPLOADS=${VSOK_UPLOADS_DIR:-$VAR/uploads}
JWT_KEY=${VSOK_JWT_KEY_FILE:-$VAR/secrets/jwt.key}
CONFIG_DIR=${VSOK_CONFIG_DIR:-}
LINK_DEST=${VSOK_BACKUP_LINK_DEST:-}

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }
say() { printf 'backup: %s\n' "$*"; }

# ---------------------------------------------------------------- backup

# Holds a shared lock on uploads/.objects.lock in this shell from now on (the sweep takes
# it exclusively to delete files; completing uploads take it shared, so they go on). The
# lock file is made with the owner of the uploads directory, whoever runs the backup.
lock_objects() {
    local lock=$UPLOADS/.objects.lock
    [[ -d $UPLOADS ]] || return 0
    if [[ ! -e $lock ]]; then
        install -m 0640 /dev/null "$lock"
        chown --reference="$UPLOADS" "$lock"
    fi
    exec {LOCK_FD}<"$lock"
    flock -s "$LOCK_FD"
}

dump_database() { # dest
    local part=$1.part
    "$DBSH" dump | gzip -6 >"$part" || die "mariadb-dump failed (nothing written under $1)"
    gzip -t "$part" || die "the compressed dump is damaged"
    [[ $(gzip -dc "$part" | tail -n 1) == "-- Dump completed"* ]] || die "the dump is incomplete"
    mv "$part" "$1"
}

# Copies one object (path relative to objects/) into the backup and prints its checksum
# line; a file whose bytes do not hash to its name stops the backup.
copy_object() { # rel
    local rel=$1 name=${1##*/} src=$UPLOADS/objects/$1 dst=$TARGET/objects/$1 sum
    mkdir -p "${dst%/*}"
    if [[ -n $LINK_DEST && -f $LINK_DEST/objects/$rel ]] && ln "$LINK_DEST/objects/$rel" "$dst" 2>/dev/null; then
        printf '%s  objects/%s\n' "$name" "$rel" # checked when it was first copied
        return 0
    fi
    cp --preserve=timestamps "$src" "$dst"
    sum=$(sha256sum "$dst") && sum=${sum%% *}
    [[ $sum == "$name" ]] || die "objects/$rel: its bytes hash to $sum (a damaged evidence file; nothing was renamed)"
    printf '%s  objects/%s\n' "$sum" "$rel"
}

copy_objects() {
    local rel n=0
    mkdir -p "$TARGET/objects"
    [[ -d $UPLOADS/objects ]] || return 0
    while IFS= read -r -d '' rel; do
        [[ $rel =~ ^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$ ]] || continue # no stray file
        copy_object "$rel" >>"$TARGET/SHA256SUMS.objects"
        n=$((n + 1))
    done < <(cd "$UPLOADS/objects" && find . -type f -printf '%P\0' | sort -z)
    OBJECTS=$n
}

backup() {
    (($# == 1)) || die "usage: sql/db.sh backup DIR"
    local dir=${1%/}
    [[ -e $dir ]] && die "$dir exists: a backup goes into a new directory"
    [[ -z $LINK_DEST || -d $LINK_DEST/objects ]] || die "VSOK_BACKUP_LINK_DEST: $LINK_DEST/objects not found"
    TARGET=$dir.part
    rm -rf "$TARGET"
    (umask 077 && mkdir -p "$TARGET/secrets")
    OBJECTS=0
    : >"$TARGET/SHA256SUMS.objects"

    lock_objects # before the dump: no file it names can go before it is copied
    dump_database "$TARGET/database.sql.gz"
    copy_objects
    [[ -f $JWT_KEY ]] && cp --preserve=mode,timestamps "$JWT_KEY" "$TARGET/secrets/jwt.key"
    if [[ -n $CONFIG_DIR ]]; then
        [[ -d $CONFIG_DIR ]] || die "VSOK_CONFIG_DIR: $CONFIG_DIR is not a directory"
        cp -R --preserve=mode,timestamps "$CONFIG_DIR" "$TARGET/config"
    fi
    local version
    version=$("$DBSH" shell --batch --skip-column-names -e 'SELECT MAX(version) FROM schema_migrations') ||
        die "cannot read the schema version"
    printf 'created %s\ndatabase %s\nschema_version %s\nevidence_files %d\n' \
        "$(date -u +%FT%TZ)" "${VSOK_DB_NAME:-vsok}" "$version" "$OBJECTS" >"$TARGET/backup.info"

    (
        cd "$TARGET"
        find . -type f ! -path './objects/*' ! -name 'SHA256SUMS*' -printf '%P\0' | sort -z |
            xargs -0 -r sha256sum >SHA256SUMS
        cat SHA256SUMS.objects >>SHA256SUMS
        rm SHA256SUMS.objects
        grep -v '  objects/' SHA256SUMS | sha256sum -c --quiet - # what was not checked on copy
    ) || die "the backup does not match its checksums"
    mv "$TARGET" "$dir"
    say "$dir: database (schema $version), $OBJECTS evidence file(s), signing key$([[ -n $CONFIG_DIR ]] && echo ', configuration')"
}

# ---------------------------------------------------------------- restore

# Copies a file into place, owned like the directory it goes into (restore runs as root,
# vsokd as www-data). mode: of the new file.
put_file() { # src dst mode
    local dir=${2%/*}
    install -m "$3" "$1" "$2"
    chown --reference="$dir" "$2" 2>/dev/null || true
}

mkdir_like() { # dir parent-to-copy-the-owner-from
    [[ -d $1 ]] && return 0
    mkdir -p "$1"
    chown --reference="$2" "$1" 2>/dev/null || true
}

restore_database() { # backup-dir replace
    local n
    n=$("$DBSH" shell --batch --skip-column-names -e \
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()") ||
        die "cannot connect to the database (created? README.md, step 3)"
    if ((n > 0)); then
        [[ $2 == 1 ]] || die "the database has $n table(s): restore goes into an empty one (or --replace)"
        say "dropping the $n table(s) and view(s) of the database"
        "$DBSH" shell --batch --skip-column-names -e "SELECT CONCAT('DROP ', IF(table_type = 'VIEW', 'VIEW', 'TABLE'), ' \`', table_name, '\`;') FROM information_schema.tables WHERE table_schema = DATABASE()" |
            { echo 'SET FOREIGN_KEY_CHECKS = 0;'; cat; } | "$DBSH" shell --batch ||
            die "could not empty the database"
    fi
    gzip -dc "$1/database.sql.gz" | "$DBSH" shell --batch || die "loading the dump failed"
    # Uploads in progress have no bytes in the backup: forgotten, their clients start again.
    "$DBSH" shell --batch -e 'DELETE FROM uploads WHERE file_id IS NULL' ||
        die "could not forget the uploads in progress"
    "$DBSH" grant
}

restore_objects() { # backup-dir
    local rel n=0
    mkdir_like "$UPLOADS" "${UPLOADS%/*}"
    mkdir_like "$UPLOADS/objects" "$UPLOADS"
    while IFS= read -r -d '' rel; do
        [[ -f $UPLOADS/objects/$rel ]] && continue # same name, same bytes
        mkdir_like "$UPLOADS/objects/${rel%/*/*}" "$UPLOADS/objects"
        mkdir_like "$UPLOADS/objects/${rel%/*}" "$UPLOADS/objects"
        put_file "$1/objects/$rel" "$UPLOADS/objects/$rel" 0640
        n=$((n + 1))
    done < <(cd "$1/objects" && find . -type f -printf '%P\0')
    say "$n evidence file(s) put back in $UPLOADS/objects"
}

# Configuration files missing from VSOK_CONFIG_DIR are put back; existing ones are left as
# they are (the new server's passwords and paths) and the ones that differ are named.
restore_config() { # backup-dir
    local f rel
    [[ -d $1/config ]] || return 0
    if [[ -z $CONFIG_DIR ]]; then
        say "the backup's configuration is in $1/config (VSOK_CONFIG_DIR is not set)"
        return 0
    fi
    while IFS= read -r -d '' rel; do
        f=$CONFIG_DIR/$rel
        if [[ ! -e $f ]]; then
            mkdir -p "${f%/*}"
            cp --preserve=mode,ownership,timestamps "$1/config/$rel" "$f"
            say "configuration: $f put back"
        elif ! cmp -s "$1/config/$rel" "$f"; then
            say "configuration: $f differs from the backup's (left as it is; compare with $1/config/$rel)"
        fi
    done < <(cd "$1/config" && find . -type f -printf '%P\0')
}

restore() {
    local replace=0
    [[ ${1:-} == --replace ]] && { replace=1; shift; }
    (($# == 1)) || die "usage: sql/db.sh restore [--replace] DIR"
    local dir=${1%/}
    [[ -f $dir/SHA256SUMS && -f $dir/database.sql.gz ]] || die "$dir is not a backup (no SHA256SUMS or database.sql.gz)"
    dir=$(cd "$dir" && pwd)
    say "checking $dir against its checksums"
    (cd "$dir" && sha256sum -c --quiet --strict SHA256SUMS) || die "$dir does not match its checksums: not restored"
    gzip -t "$dir/database.sql.gz" || die "the compressed dump is damaged: not restored"
    restore_database "$dir" "$replace"
    restore_objects "$dir"
    if [[ -f $dir/secrets/jwt.key ]]; then
        mkdir_like "${JWT_KEY%/*}" "${UPLOADS%/*}"
        put_file "$dir/secrets/jwt.key" "$JWT_KEY" 0600
    fi
    restore_config "$dir"
    say "restored from $dir ($(grep -E '^(created|schema_version)' "$dir/backup.info" | tr '\n' ' '))"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
backup) backup "$@" ;;
restore) restore "$@" ;;
*) die "usage: sql/db.sh backup DIR | restore [--replace] DIR" ;;
esac
