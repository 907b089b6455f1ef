#include "evidence/upload_sweep.h"

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

/* Stored files and objects nothing points to any more. */
static int sweep_orphans(const config *cfg, db_conn *db, arena *a, int force,
                         evidence_sweep_counts *c)
{
    int rc = evidence_sweep_orphans(cfg, db, a, cfg->upload_expiry, c);
    if (maintenance_turn(db, a, "object_sweep", force ? 0 : OBJECT_SWEEP_INTERVAL)) {
        rc |= evidence_sweep_stray(cfg, db, a, cfg->upload_expiry, c);
        maintenance_done(db, a, "object_sweep");
    }
    if (c->files || c->objects)
        log_info("sweep: %ld unlinked file(s), %ld object(s) removed", c->files, c->objects);
    return rc;
}

/* Whether the partial file `name` is left over: its upload finished (a worker that stopped
 * between the commit and the removal; the bytes are in objects/) or, older than the expiry,
 * it has no upload row at all (or is a temporary copy). */
static int partial_left_over(db_conn *db, arena *a, const char *name, time_t mtime, time_t cutoff)
{
    if (strlen(name) != UPLOAD_ID_LEN || strspn(name, "0123456789abcdef") != UPLOAD_ID_LEN)
        return mtime < cutoff;
    db_result r;
    db_val p[] = {DB_STR(name)};
    if (DB_EXEC(db, a, "SELECT file_id IS NOT NULL FROM uploads WHERE id = ?", p, &r) != DB_OK)
        return 0;
    return r.nrows ? db_cell_int(&r, 0, 0, 0) == 1 : mtime < cutoff;
}

/* Partial files no unfinished upload needs any more. */
static long sweep_partials(const config *cfg, db_conn *db, arena *a)
{
    const char *dir = arena_sprintf(a, "%s/partial", cfg->uploads_dir);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return 0;
    time_t cutoff = time(NULL) - cfg->upload_expiry;
    long removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *path = e->d_name[0] == '.' ? NULL : arena_sprintf(a, "%s/%s", dir, e->d_name);
        struct stat st;
        if (!path || lstat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
            !partial_left_over(db, a, e->d_name, st.st_mtime, cutoff))
            continue;
        if (unlink(path) == 0)
            removed++;
        else if (errno != ENOENT)
            log_error("sweep: cannot remove %s: %s", path, strerror(errno));
    }
    closedir(d);
    if (removed)
        log_info("sweep: %ld left-over partial file(s) removed", removed);
    return removed;
}

/* One sweep; the caller holds the lease. */
static long sweep_now(const config *cfg, db_conn *db, arena *a, int force,
                      evidence_sweep_counts *orphans)
{
    db_result r;
    if (DB_RUN(db, a,
               "SELECT id FROM uploads WHERE file_id IS NULL AND expires_at <= UTC_TIMESTAMP() "
               "LIMIT 1000",
               &r) != DB_OK)
        return -1;
    long removed = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        const char *id = db_cell(&r, i, 0);
        const char *path = evidence_partial_path(a, cfg, id);
        if (path && unlink(path) != 0 && errno != ENOENT) {
            log_error("sweep: cannot remove %s: %s", path, strerror(errno));
            continue;
        }
        db_val p[] = {DB_STR(id)};
        if (DB_EXEC(db, a, "DELETE FROM uploads WHERE id = ? AND file_id IS NULL", p, NULL) ==
            DB_OK)
            removed++;
    }
    if (removed)
        log_info("sweep: %ld expired upload(s) removed", removed);
    sweep_partials(cfg, db, a);
    if (sweep_orphans(cfg, db, a, force, orphans) != 0)
        return -1;
    return removed;
}

long upload_sweep(const config *cfg, db_conn *db, arena *a, int force,
                  evidence_sweep_counts *orphans)
{
    evidence_sweep_counts none = {0, 0};
    if (!orphans)
        orphans = &none;
    if (!maintenance_turn(db, a, "upload_sweep", force ? 0 : UPLOAD_SWEEP_INTERVAL))
        return 0;
    long n = sweep_now(cfg, db, a, force, orphans);
    maintenance_done(db, a, "upload_sweep");
    return n;
}

int upload_sweep_command(const config *cfg)
{
    db_conn *db = maintenance_connect(cfg);
    if (!db)
        return 2;
    arena a;
    arena_init(&a, 64 * 1024);
    evidence_sweep_counts c = {0, 0};
    long n = upload_sweep(cfg, db, &a, 1, &c);
    arena_destroy(&a);
    db_close(db);
    if (n < 0)
        return 2;
    printf("%ld expired upload(s) removed\n%ld unlinked file(s) removed\n%ld object(s) "
           "removed\n",
           n, c.files, c.objects);
    return 0;
}
