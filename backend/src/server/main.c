/* vsokd: the ВСОК ДО back end.
 *   vsokd                 run the FastCGI service (configuration from VSOK_* variables)
 *   vsokd hash-password   read a password on stdin, print its argon2id hash
 *   vsokd load-instruments FILE...   store the instruments the database lacks
 *   vsokd sweep           remove expired uploads now
 *   vsokd send-mail       send a batch of the queued mail now (VSOK_MAIL=smtp)
 *   vsokd rebuild-rollups rebuild the dashboard rollups from the raw data
 *   vsokd remind          write the reminders of the plan-schedule that are due now
 *   vsokd storage-check   notify the kindergartens whose evidence crossed 80 % or 95 % of the quota
 *   vsokd version         print the version */
#include "core/config.h"
#include "evidence/evidence_storage.h"
#include "forms/instrument_loader.h"
#include "notify/mail_send.h"
#include "notify/reminders.h"
#include "dashboards/rollup.h"
#include "evidence/upload_sweep.h"
#include "core/log.h"
#include "server/master.h"
#include "auth/password.h"
#include "core/secrets.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

static int hash_password(void)
{
    char pw[PASSWORD_MAX_LEN + 2];
    if (!fgets(pw, sizeof pw, stdin)) {
        fprintf(stderr, "vsokd: no password on stdin\n");
        return 1;
    }
    size_t n = strcspn(pw, "\r\n");
    pw[n] = '\0';
    if (n == 0 || n > PASSWORD_MAX_LEN) {
        fprintf(stderr, "vsokd: the password must be 1 to %d bytes\n", PASSWORD_MAX_LEN);
        return 1;
    }
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(pw, n, hash, sizeof hash) != 0) {
        fprintf(stderr, "vsokd: hashing failed\n");
        return 1;
    }
    puts(hash);
    return 0;
}

/* Reads the whole configuration: variables, the database password file and the JWT key. */
static int load_config(config *cfg, char *err, size_t errlen)
{
    config next;
    if (config_load(&next, config_getenv, NULL, err, errlen) != 0 ||
        config_read_db_password(&next, err, errlen) != 0 ||
        secrets_load_jwt_key(&next, err, errlen) != 0)
        return -1;
    *cfg = next;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "hash-password") == 0)
        return hash_password();
    if (argc > 1 && strcmp(argv[1], "version") == 0) {
        puts(VSOK_VERSION);
        return 0;
    }
    static config cfg; /* the per-process configuration, shared with the workers by fork */
    char err[512];
    int load = argc > 1 && strcmp(argv[1], "load-instruments") == 0;
    int sweep = argc == 2 && strcmp(argv[1], "sweep") == 0;
    int mail = argc == 2 && strcmp(argv[1], "send-mail") == 0;
    int rebuild = argc == 2 && strcmp(argv[1], "rebuild-rollups") == 0;
    int remind = argc == 2 && strcmp(argv[1], "remind") == 0;
    int storage = argc == 2 && strcmp(argv[1], "storage-check") == 0;
    if (load || sweep || mail || rebuild || remind || storage) {
        if (config_load(&cfg, config_getenv, NULL, err, sizeof err) != 0 ||
            config_read_db_password(&cfg, err, sizeof err) != 0) {
            fprintf(stderr, "vsokd: %s\n", err);
            return 1;
        }
        if (mail)
            return mail_send_command(&cfg);
        if (rebuild)
            return rollup_rebuild_command(&cfg);
        if (remind)
            return reminders_command(&cfg);
        if (storage)
            return storage_check_command(&cfg);
        return load ? instrument_loader_run(&cfg, argc - 2, argv + 2) : upload_sweep_command(&cfg);
    }
    if (argc > 1) {
        fprintf(stderr, "usage: vsokd [hash-password | load-instruments FILE... | sweep | "
                        "send-mail | rebuild-rollups | remind | storage-check | version]\n");
        return 2;
    }
    if (load_config(&cfg, err, sizeof err) != 0) {
        log_error("config: %s", err);
        return 1;
    }
    if (FCGX_Init() != 0) {
        log_error("FCGX_Init failed");
        return 1;
    }
    return master_run(&cfg, load_config);
}
