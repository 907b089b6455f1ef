#include "evidence/evidence_derived.h"

#include "core/crypto_util.h"
#include "evidence/evidence_store.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *evidence_derived_path(arena *a, const config *cfg, const char *what, const char *hex,
                            const char *ext)
{
    return arena_sprintf(a, "%s/derived/%s/%.2s/%.2s/%s.%s", cfg->uploads_dir, what, hex, hex + 2,
                         hex, ext);
}

char *evidence_derived_uri(arena *a, const char *what, const char *hex, const char *ext)
{
    return arena_sprintf(a, "/_derived/%s/%.2s/%.2s/%s.%s", what, hex, hex + 2, hex, ext);
}

/* Random, not the pid: hosts sharing the evidence directory have pids in common. */
char *evidence_derived_tmp(arena *a, const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path) : 0;
    unsigned char raw[8];
    char tag[17];
    if (random_bytes(raw, sizeof raw) != 0)
        return NULL;
    hex_encode(raw, sizeof raw, tag);
    return arena_sprintf(a, "%.*s/.tmp-%s-%s.%s", dir, path, tag, slash ? slash + 1 : path, ext);
}

int evidence_derived_publish(const char *tmp, const char *path)
{
    if (rename(tmp, path) == 0)
        return 0;
    log_error("derived: cannot rename %s: %s", tmp, strerror(errno));
    unlink(tmp);
    return -1;
}

void evidence_derived_mark_none(arena *a, const config *cfg, const char *what, const char *hex)
{
    const char *p = evidence_derived_path(a, cfg, what, hex, "none");
    if (!p || evidence_mkdirs(p) != 0)
        return;
    int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    if (fd >= 0)
        close(fd);
}

int evidence_derived_marked_none(arena *a, const config *cfg, const char *what, const char *hex)
{
    const char *p = evidence_derived_path(a, cfg, what, hex, "none");
    return p && access(p, F_OK) == 0;
}

int evidence_derived_remove(arena *a, const config *cfg, const char *hex)
{
    static const char *const FILES[][2] = {
        {"thumb", "jpg"}, {"thumb", "none"}, {"clean", "jpg"},  {"clean", "webp"},
        {"clean", "mp4"}, {"clean", "mov"},  {"clean", "webm"}, {"clean", "none"},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        const char *p = evidence_derived_path(a, cfg, FILES[i][0], hex, FILES[i][1]);
        if (p && unlink(p) != 0 && errno != ENOENT) {
            log_error("derived: cannot remove %s: %s", p, strerror(errno));
            rc = -1;
        }
    }
    return rc;
}
