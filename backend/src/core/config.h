/* Process configuration, read once from VSOK_* environment variables (and re-read on
 * SIGHUP). The only process-wide state besides the worker's database connection. */
#ifndef VSOK_CONFIG_H
#define VSOK_CONFIG_H

#include <stddef.h>

#define CONFIG_PATH_MAX 512
#define CONFIG_STR_MAX 256

typedef struct {
    char socket_path[CONFIG_PATH_MAX];
    unsigned socket_mode;
    int workers;
    long max_requests;   /* a worker is replaced after this many requests (0: never) */
    long max_rss_growth; /* KiB: a worker is replaced when its resident memory grew by more
                            than this since its first request (0: never) */
    char upload_socket_path[CONFIG_PATH_MAX]; /* the upload pool's socket; empty: no pool */
    int upload_workers;                       /* workers of the upload pool */
    char pid_file[CONFIG_PATH_MAX];
    int drain_timeout; /* seconds a draining worker gets before SIGKILL */

    char db_socket[CONFIG_PATH_MAX];
    char db_host[CONFIG_STR_MAX];
    int db_port;
    char db_name[CONFIG_STR_MAX];
    char db_user[CONFIG_STR_MAX];
    char db_password[CONFIG_STR_MAX];
    char db_password_file[CONFIG_PATH_MAX];
    /* The replica the dashboards read from (same database, user and password); neither host
     * nor socket set: none, everything on the primary. */
    char db_replica_host[CONFIG_STR_MAX];
    char db_replica_socket[CONFIG_PATH_MAX];
    int db_replica_port;
    long db_replica_max_lag; /* seconds behind beyond which dashboards read the primary */

    char jwt_key_file[CONFIG_PATH_MAX];
    unsigned char jwt_key[64]; /* filled by secrets_load_jwt_key */
    size_t jwt_key_len;
    long access_ttl;
    long refresh_ttl;
    size_t max_body;
    size_t max_import; /* largest CSV upload, bytes */
    int cookie_secure;
    char uploads_dir[CONFIG_PATH_MAX]; /* evidence: partial/ and objects/ below it */
    long upload_expiry;                /* seconds an unfinished upload is kept */
    long long max_photo, max_video;    /* bytes */
    long long kindergarten_quota;      /* bytes of evidence per kindergarten */
    long auth_cache_ttl;               /* seconds a worker may reuse a user's row (0: never) */
    char mail_mode[16];                /* off | record | smtp (VSOK_MAIL) */
    char smtp_url[CONFIG_STR_MAX];     /* smtp://host:25, smtps://host:465 */
    char smtp_from[CONFIG_STR_MAX];    /* the envelope and From: address */
    char smtp_user[CONFIG_STR_MAX];
    char smtp_password_file[CONFIG_PATH_MAX];
    char public_url[CONFIG_STR_MAX];     /* "https://host" of links in mail and surveys; empty: the
                                            request's */
    char vipsthumbnail[CONFIG_PATH_MAX]; /* photo thumbnails */
    char vips[CONFIG_PATH_MAX];          /* GPS-free copies of photos other than JPEG */
    char ffmpeg[CONFIG_PATH_MAX];        /* video posters; empty: videos get no preview */
    long preview_timeout;                /* seconds a preview tool may run before it is killed */
} config;

/* A lookup function so that tests can feed variables without touching the environment. */
typedef const char *(*config_getter)(const char *name, void *ctx);

/* Fills c with defaults, then applies every variable get() returns. On a bad value returns
 * -1 with a message naming the variable in err. Does not read files. */
int config_load(config *c, config_getter get, void *ctx, char *err, size_t errlen);

/* The getter for the real environment. */
const char *config_getenv(const char *name, void *ctx);

/* Reads db_password from db_password_file when db_password is empty and the file exists. */
int config_read_db_password(config *c, char *err, size_t errlen);

#endif
