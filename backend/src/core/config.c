#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *config_getenv(const char *name, void *ctx)
{
    (void)ctx;
    return getenv(name);
}

static int set_str(char *dst, size_t cap, const char *name, const char *v, char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n >= cap) {
        snprintf(err, errlen, "%s is too long (%zu bytes, at most %zu)", name, n, cap - 1);
        return -1;
    }
    memcpy(dst, v, n + 1);
    return 0;
}

static int parse_long(const char *name, const char *v, long min, long max, int base, long *out,
                      char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    long x = strtol(v, &end, base);
    if (errno || end == v || *end != '\0' || x < min || x > max) {
        snprintf(err, errlen, "%s must be an integer from %ld to %ld, got \"%s\"", name, min, max,
                 v);
        return -1;
    }
    *out = x;
    return 0;
}

static void set_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->socket_path, sizeof c->socket_path, "var/run/vsokd.sock");
    c->socket_mode = 0660;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->workers = (int)(cores > 0 ? 2 * cores : 2);
    c->max_requests = 0;
    c->max_rss_growth = 64 * 1024;
    c->upload_workers = 2;
    c->drain_timeout = 30;
    snprintf(c->db_socket, sizeof c->db_socket, "var/run/mysqld.sock");
    c->db_port = 3306;
    c->db_replica_port = 3306;
    c->db_replica_max_lag = 5;
    snprintf(c->db_name, sizeof c->db_name, "vsok");
    snprintf(c->db_user, sizeof c->db_user, "vsok");
    snprintf(c->db_password_file, sizeof c->db_password_file, "var/secrets/db.password");
    snprintf(c->jwt_key_file, sizeof c->jwt_key_file, "var/secrets/jwt.key");
    c->access_ttl = 900;
    c->refresh_ttl = 30L * 24 * 3600;
    c->max_body = 1024 * 1024;
    c->max_import = 5 * 1024 * 1024;
    c->cookie_secure = 1;
    c->auth_cache_ttl = 5;
    snprintf(c->uploads_dir, sizeof c->uploads_dir, "var/uploads");
    c->upload_expiry = 24 * 3600;
    c->max_photo = 50LL * 1000 * 1000;
    c->max_video = 4LL * 1000 * 1000 * 1000;
    c->kindergarten_quota = 50LL * 1000 * 1000 * 1000;
    snprintf(c->mail_mode, sizeof c->mail_mode, "off");
    snprintf(c->vipsthumbnail, sizeof c->vipsthumbnail, "/usr/bin/vipsthumbnail");
    snprintf(c->vips, sizeof c->vips, "/usr/bin/vips");
    snprintf(c->ffmpeg, sizeof c->ffmpeg, "/usr/bin/ffmpeg");
    c->preview_timeout = 30;
}

typedef struct {
    const char *name;
    size_t offset;
    size_t cap;
} str_option;

#define STR_OPT(name, field)                                                                       \
    {                                                                                              \
        name, offsetof(config, field), sizeof(((config *)0)->field)                                \
    }

static const str_option STR_OPTIONS[] = {
    STR_OPT("VSOK_SOCKET", socket_path),
    STR_OPT("VSOK_UPLOAD_SOCKET", upload_socket_path),
    STR_OPT("VSOK_PID_FILE", pid_file),
    STR_OPT("VSOK_DB_SOCKET", db_socket),
    STR_OPT("VSOK_DB_HOST", db_host),
    STR_OPT("VSOK_DB_NAME", db_name),
    STR_OPT("VSOK_DB_USER", db_user),
    STR_OPT("VSOK_DB_PASSWORD", db_password),
    STR_OPT("VSOK_DB_PASSWORD_FILE", db_password_file),
    STR_OPT("VSOK_DB_REPLICA_HOST", db_replica_host),
    STR_OPT("VSOK_DB_REPLICA_SOCKET", db_replica_socket),
    STR_OPT("VSOK_JWT_KEY_FILE", jwt_key_file),
    STR_OPT("VSOK_UPLOADS_DIR", uploads_dir),
    STR_OPT("VSOK_MAIL", mail_mode),
    STR_OPT("VSOK_SMTP_URL", smtp_url),
    STR_OPT("VSOK_SMTP_FROM", smtp_from),
    STR_OPT("VSOK_SMTP_USER", smtp_user),
    STR_OPT("VSOK_SMTP_PASSWORD_FILE", smtp_password_file),
    STR_OPT("VSOK_PUBLIC_URL", public_url),
    STR_OPT("VSOK_VIPSTHUMBNAIL", vipsthumbnail),
    STR_OPT("VSOK_VIPS", vips),
    STR_OPT("VSOK_FFMPEG", ffmpeg),
};

typedef struct {
    const char *name;
    long min, max;
    int base;
    long *out;
} num_option;

/* The checks across variables and of the text values, once they are all read. */
static int check_values(config *c, char *err, size_t errlen)
{
    if (strcmp(c->mail_mode, "off") != 0 && strcmp(c->mail_mode, "record") != 0 &&
        strcmp(c->mail_mode, "smtp") != 0) {
        snprintf(err, errlen, "VSOK_MAIL must be off, record or smtp");
        return -1;
    }
    if (strcmp(c->mail_mode, "smtp") == 0 && (!c->smtp_url[0] || !c->smtp_from[0])) {
        snprintf(err, errlen, "VSOK_MAIL=smtp needs VSOK_SMTP_URL and VSOK_SMTP_FROM");
        return -1;
    }
    size_t pl = strlen(c->public_url);
    while (pl > 0 && c->public_url[pl - 1] == '/')
        c->public_url[--pl] = '\0';
    if (pl > 0 && strncmp(c->public_url, "http://", 7) != 0 &&
        strncmp(c->public_url, "https://", 8) != 0) {
        snprintf(err, errlen, "VSOK_PUBLIC_URL must start with http:// or https://");
        return -1;
    }
    if (c->socket_path[0] == '\0') {
        snprintf(err, errlen, "VSOK_SOCKET must not be empty");
        return -1;
    }
    if (strcmp(c->upload_socket_path, c->socket_path) == 0) {
        snprintf(err, errlen, "VSOK_UPLOAD_SOCKET must differ from VSOK_SOCKET");
        return -1;
    }
    return 0;
}

int config_load(config *c, config_getter get, void *ctx, char *err, size_t errlen)
{
    set_defaults(c);
    for (size_t i = 0; i < sizeof STR_OPTIONS / sizeof STR_OPTIONS[0]; i++) {
        const char *v = get(STR_OPTIONS[i].name, ctx);
        if (v && set_str((char *)c + STR_OPTIONS[i].offset, STR_OPTIONS[i].cap, STR_OPTIONS[i].name,
                         v, err, errlen))
            return -1;
    }
    long mode = c->socket_mode, workers = c->workers, max_requests = c->max_requests;
    long drain = c->drain_timeout, port = c->db_port, access = c->access_ttl;
    long refresh = c->refresh_ttl, max_body = (long)c->max_body, secure = c->cookie_secure;
    long cache_ttl = c->auth_cache_ttl, max_import = (long)c->max_import;
    long expiry = c->upload_expiry, max_photo = (long)c->max_photo;
    long max_video = (long)c->max_video, quota = (long)c->kindergarten_quota;
    long preview_timeout = c->preview_timeout;
    long rss_growth = c->max_rss_growth, upload_workers = c->upload_workers;
    long replica_port = c->db_replica_port, replica_lag = c->db_replica_max_lag;
    const num_option nums[] = {
        {"VSOK_SOCKET_MODE", 0, 0777, 8, &mode},
        {"VSOK_WORKERS", 1, 256, 10, &workers},
        {"VSOK_MAX_REQUESTS", 0, 1000000000L, 10, &max_requests},
        {"VSOK_MAX_RSS_GROWTH", 0, 64L * 1024 * 1024, 10, &rss_growth},
        {"VSOK_UPLOAD_WORKERS", 1, 256, 10, &upload_workers},
        {"VSOK_DRAIN_TIMEOUT", 1, 3600, 10, &drain},
        {"VSOK_DB_PORT", 1, 65535, 10, &port},
        {"VSOK_DB_REPLICA_PORT", 1, 65535, 10, &replica_port},
        {"VSOK_DB_REPLICA_MAX_LAG", 0, 86400, 10, &replica_lag},
        {"VSOK_ACCESS_TTL", 30, 86400, 10, &access},
        {"VSOK_REFRESH_TTL", 300, 365L * 86400, 10, &refresh},
        {"VSOK_MAX_BODY", 1024, 64L * 1024 * 1024, 10, &max_body},
        {"VSOK_COOKIE_SECURE", 0, 1, 10, &secure},
        {"VSOK_AUTH_CACHE_TTL", 0, 60, 10, &cache_ttl},
        {"VSOK_MAX_IMPORT", 1024, 256L * 1024 * 1024, 10, &max_import},
        {"VSOK_UPLOAD_EXPIRY", 1, 30L * 86400, 10, &expiry},
        {"VSOK_MAX_PHOTO", 1, 1L << 40, 10, &max_photo},
        {"VSOK_MAX_VIDEO", 1, 1L << 42, 10, &max_video},
        {"VSOK_KINDERGARTEN_QUOTA", 1, 1L << 50, 10, &quota},
        {"VSOK_PREVIEW_TIMEOUT", 1, 3600, 10, &preview_timeout},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const char *v = get(nums[i].name, ctx);
        if (v && parse_long(nums[i].name, v, nums[i].min, nums[i].max, nums[i].base, nums[i].out,
                            err, errlen))
            return -1;
    }
    c->socket_mode = (unsigned)mode;
    c->workers = (int)workers;
    c->max_requests = max_requests;
    c->max_rss_growth = rss_growth;
    c->upload_workers = (int)upload_workers;
    c->drain_timeout = (int)drain;
    c->db_port = (int)port;
    c->db_replica_port = (int)replica_port;
    c->db_replica_max_lag = replica_lag;
    c->access_ttl = access;
    c->refresh_ttl = refresh;
    c->max_body = (size_t)max_body;
    c->cookie_secure = (int)secure;
    c->auth_cache_ttl = cache_ttl;
    c->max_import = (size_t)max_import;
    c->upload_expiry = expiry;
    c->max_photo = max_photo;
    c->max_video = max_video;
    c->kindergarten_quota = quota;
    c->preview_timeout = preview_timeout;
    return check_values(c, err, errlen);
}

int config_read_db_password(config *c, char *err, size_t errlen)
{
    if (c->db_password[0] || !c->db_password_file[0])
        return 0;
    FILE *f = fopen(c->db_password_file, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", c->db_password_file, strerror(errno));
        return -1;
    }
    size_t n = fread(c->db_password, 1, sizeof c->db_password - 1, f);
    fclose(f);
    c->db_password[n] = '\0';
    while (n > 0 && (c->db_password[n - 1] == '\n' || c->db_password[n - 1] == '\r'))
        c->db_password[--n] = '\0';
    return 0;
}
