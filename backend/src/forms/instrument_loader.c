#include "forms/instrument_loader.h"

#include "db/db.h"
#include "forms/instrument_store.h"

#include <stdio.h>

/* Stores one file unless its code/version is already there. */
static int load_one(db_conn *db, arena *a, const char *file)
{
    json_error_t jerr;
    json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        fprintf(stderr, "%s:%d:%d: %s\n", file, jerr.line, jerr.column, jerr.text);
        return 1;
    }
    form_errors errs;
    form_errors_init(&errs, a, 100);
    const instrument *ins = NULL;
    int rc = instrument_parse(a, doc, &ins, &errs);
    if (rc != 0) {
        for (size_t i = 0; i < errs.count; i++)
            fprintf(stderr, "%s: %s\n", file, form_error_text(a, &errs.items[i]));
        json_decref(doc);
        return 1;
    }
    uint64_t id = 0;
    int version = 0;
    db_status s = instrument_store_insert(db, a, doc, ins, ins->version, 1, 0, &id, &version);
    json_decref(doc);
    if (s == DB_DUPLICATE)
        return 0;
    if (s != DB_OK) {
        fprintf(stderr, "%s: the database refused it\n", file);
        return 2;
    }
    printf("loaded %s version %d (id %llu) from %s\n", ins->code, version, (unsigned long long)id,
           file);
    return 0;
}

int instrument_loader_run(const config *cfg, int nfiles, char **files)
{
    db_conn *db = db_open(cfg);
    if (!db || db_ping(db) != DB_OK) {
        fprintf(stderr, "vsokd: cannot connect to the database\n");
        db_close(db);
        return 2;
    }
    int worst = 0;
    for (int i = 0; i < nfiles; i++) {
        arena a;
        arena_init(&a, 256 * 1024);
        int rc = load_one(db, &a, files[i]);
        arena_destroy(&a);
        if (rc > worst)
            worst = rc;
    }
    db_close(db);
    return worst;
}
