#include "evidence/evidence_sweep.h"

#include "core/crypto_util.h"
#include "evidence/evidence_derived.h"
#include "evidence/evidence_store.h"
#include "core/log.h"
#include "db/maintenance.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The 32 bytes of a 64-digit lowercase hex name; -1 for any other name. */
static int hex_decode32(const char *hex, unsigned char out[32])
{
    if (strlen(hex) != 64)
        return -1;
    for (size_t i = 0; i < 32; i++) {
        int h = hex_value(hex[2 * i]), l = hex_value(hex[2 * i + 1]);
        if (h < 0 || l < 0)
            return -1;
        out[i] = (unsigned char)(h << 4 | l);
    }
    return 0;
}

/* Removes the object hex and its derived files if no row points to it. Called with the
 * objects lock held exclusive. Returns 1 when removed, 0 when kept, -1 on a database error. */
static int remove_if_unreferenced(const config *cfg, db_conn *db, arena *a, const char *hex,
                                  const unsigned char sha[32])
{
    db_result r;
    db_val p[] = {DB_BLOB(sha, 32)};
    if (DB_EXEC(db, a, "SELECT 1 FROM evidence_files WHERE sha256 = ? LIMIT 1", p, &r) != DB_OK)
        return -1;
    if (r.nrows > 0)
        return 0;
    const char *object = evidence_object_path(a, cfg, hex);
    if (!object)
        return -1;
    if (unlink(object) != 0 && errno != ENOENT) {
        log_error("sweep: cannot remove %s: %s", object, strerror(errno));
        return 0;
    }
    evidence_derived_remove(a, cfg, hex);
    return 1;
}

int evidence_sweep_orphans(const config *cfg, db_conn *db, arena *a, long older_than,
                           evidence_sweep_counts *out)
{
    db_result r;
    db_val age[] = {DB_INT(older_than)};
    if (DB_EXEC(db, a,
                "SELECT f.id, f.sha256 FROM evidence_files f WHERE f.created_at < NOW() - "
                "INTERVAL ? SECOND AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE "
                "l.file_id = f.id) ORDER BY f.id LIMIT 1000",
                age, &r) != DB_OK)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        if (db_cell_len(&r, i, 1) != 32)
            continue;
        long long id = db_cell_int(&r, i, 0, 0);
        db_val p[] = {DB_INT(id), DB_INT(id)};
        db_result d;
        if (db_exec(db, a, "DELETE FROM uploads WHERE file_id = ?", p, 1, NULL) != DB_OK ||
            DB_EXEC(db, a,
                    "DELETE FROM evidence_files WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "
                    "evidence_links l WHERE l.file_id = ?)",
                    p, &d) != DB_OK) {
            rc = -1;
            continue;
        }
        out->files += (long)d.affected;
    }
    int lock = r.nrows ? evidence_objects_lock(cfg, 1) : -1;
    if (r.nrows && lock < 0) {
        log_error("sweep: cannot take the objects lock: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < r.nrows; i++) {
        if (db_cell_len(&r, i, 1) != 32)
            continue;
        const unsigned char *sha = (const unsigned char *)db_cell(&r, i, 1);
        char hex[65];
        hex_encode(sha, 32, hex);
        int removed = remove_if_unreferenced(cfg, db, a, hex, sha);
        if (removed < 0)
            rc = -1;
        else
            out->objects += removed;
    }
    evidence_objects_unlock(lock);
    return rc;
}

/* Every object file under objects/ab/cd/ with a 64-hex name, last modified before cutoff. */
static int sweep_dir(const config *cfg, db_conn *db, const char *dir, int depth, time_t cutoff,
                     evidence_sweep_counts *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    /* Memory of one directory's worth of checks, so that a long walk stays flat. */
    arena local;
    arena_init(&local, 16 * 1024);
    arena *a = &local;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (n[0] == '.')
            continue;
        char *path = arena_sprintf(a, "%s/%s", dir, n);
        struct stat st;
        if (!path || lstat(path, &st) != 0)
            continue;
        if (depth < 2) {
            /* A walk over a large store outlasts a lease: renewed before each of the 256
             * top directories; a walk that lost it stops. */
            if (depth == 0 && S_ISDIR(st.st_mode) && !maintenance_turn(db, a, "object_sweep", 0)) {
                log_error("sweep: the walk over objects/ lost its lease: stopped");
                rc = -1;
                break;
            }
            if (S_ISDIR(st.st_mode) && strlen(n) == 2)
                rc = sweep_dir(cfg, db, path, depth + 1, cutoff, out);
            continue;
        }
        unsigned char sha[32];
        if (!S_ISREG(st.st_mode) || st.st_mtime >= cutoff)
            continue;
        if (hex_decode32(n, sha) != 0) {
            /* a copy into place (<hex>.tmpXXXXXX) that a stopped worker never renamed */
            if (strstr(n, ".tmp") && unlink(path) != 0 && errno != ENOENT)
                log_error("sweep: cannot remove %s: %s", path, strerror(errno));
            continue;
        }
        int lock = evidence_objects_lock(cfg, 1);
        if (lock < 0) {
            rc = -1;
            break;
        }
        int removed = remove_if_unreferenced(cfg, db, a, n, sha);
        evidence_objects_unlock(lock);
        if (removed < 0)
            rc = -1;
        else
            out->objects += removed;
    }
    closedir(d);
    arena_destroy(&local);
    return rc;
}

int evidence_sweep_stray(const config *cfg, db_conn *db, arena *a, long older_than,
                         evidence_sweep_counts *out)
{
    const char *root = arena_sprintf(a, "%s/objects", cfg->uploads_dir);
    if (!root)
        return -1;
    return sweep_dir(cfg, db, root, 0, time(NULL) - older_than, out);
}
