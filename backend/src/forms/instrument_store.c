#include "forms/instrument_store.h"

#include <stdlib.h>
#include <string.h>

char *instrument_store_join(arena *a, const char *const *names, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + 1;
    char *s = arena_alloc(a, len);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ",");
        strcat(s, names[i]);
    }
    return s;
}

void instrument_cache_init(instrument_cache *c)
{
    memset(c, 0, sizeof *c);
}

void instrument_cache_destroy(instrument_cache *c)
{
    for (int i = 0; i < INSTRUMENT_CACHE_SLOTS; i++)
        if (c->entries[i].id || c->entries[i].last_use)
            arena_destroy(&c->entries[i].a);
    memset(c, 0, sizeof *c);
}

/* Reads and parses instrument id into arena a. */
static db_status load(db_conn *db, arena *a, uint64_t id, stored_instrument *out, int *found)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    db_result r;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXEC(db, a,
                          "SELECT id, code, version, status, definition FROM instruments "
                          "WHERE id = ?",
                          p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    json_error_t jerr;
    json_t *doc = json_loads(db_cell(&r, 0, 4), 0, &jerr);
    if (!doc)
        return DB_ERROR;
    form_errors errs;
    form_errors_init(&errs, a, 1);
    int rc = instrument_parse(a, doc, &out->ins, &errs);
    json_decref(doc);
    if (rc != 0)
        return DB_ERROR; /* stored definitions were checked before they were stored */
    out->id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    out->code = db_cell(&r, 0, 1);
    out->version = (int)db_cell_int(&r, 0, 2, 0);
    out->status = db_cell(&r, 0, 3);
    out->definition = db_cell(&r, 0, 4);
    *found = 1;
    return DB_OK;
}

db_status instrument_store_get(instrument_cache *cache, db_conn *db, arena *a, uint64_t id,
                               stored_instrument *out, int *found)
{
    if (!cache)
        return load(db, a, id, out, found);
    instrument_cache_entry *victim = &cache->entries[0];
    for (int i = 0; i < INSTRUMENT_CACHE_SLOTS; i++) {
        instrument_cache_entry *e = &cache->entries[i];
        if (e->id == id) {
            e->last_use = ++cache->tick;
            *out = e->si;
            *found = 1;
            return DB_OK;
        }
        if (e->last_use < victim->last_use)
            victim = e;
    }
    /* Parse straight into the least recently used entry's arena; keep it only for a
     * published version (drafts may still change). Either way the result stays valid for
     * the rest of the request: the entry is the most recently used now. */
    if (victim->id || victim->last_use)
        arena_destroy(&victim->a);
    arena_init(&victim->a, 64 * 1024);
    victim->id = 0;
    victim->last_use = ++cache->tick;
    db_status s = load(db, &victim->a, id, out, found);
    if (s != DB_OK || !*found)
        return s;
    if (strcmp(out->status, "published") == 0) {
        victim->si = *out;
        victim->si.definition = NULL; /* the text is not needed once parsed */
        victim->id = id;
    }
    return DB_OK;
}

db_status instrument_store_insert(db_conn *db, arena *a, const json_t *doc, const instrument *ins,
                                  int version, int published, uint64_t created_by, uint64_t *id_out,
                                  int *version_out)
{
    if (version <= 0) {
        db_result r;
        db_val p[] = {DB_STR(ins->code)};
        db_status s = DB_EXEC(db, a,
                              "SELECT COALESCE(MAX(version), 0) + 1 FROM instruments "
                              "WHERE code = ?",
                              p, &r);
        if (s != DB_OK)
            return s;
        version = (int)db_cell_int(&r, 0, 0, 1);
    }
    /* The stored definition carries the version it is stored under. */
    json_t *copy = json_deep_copy(doc);
    if (!copy)
        return DB_ERROR;
    json_object_set_new(copy, "version", json_integer(version));
    char *text = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    if (!text)
        return DB_ERROR;
    char *def = arena_strdup(a, text);
    free(text);
    const char *title = ins->title.ru ? ins->title.ru : ins->code;
    char *respondents = instrument_store_join(a, ins->respondents, ins->n_respondents);
    char *targets = instrument_store_join(a, ins->targets, ins->n_targets);
    if (!def || !respondents || !targets)
        return DB_ERROR;
    db_result ins_r;
    db_val p[] = {DB_STR(ins->code),
                  DB_INT(version),
                  DB_STR(title),
                  DB_STR(instrument_rule_name(ins->scoring)),
                  DB_STR(respondents),
                  DB_STR(targets),
                  DB_STR(def),
                  DB_STR(published ? "published" : "draft"),
                  created_by ? DB_INT(created_by) : DB_NULL,
                  DB_INT(published)};
    db_status s = DB_EXEC(db, a,
                          "INSERT INTO instruments (code, version, title, scoring_rule, "
                          "respondents, targets, definition, status, created_by, published_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, IF(? = 1, CURRENT_TIMESTAMP, NULL))",
                          p, &ins_r);
    if (s == DB_OK) {
        *id_out = ins_r.insert_id;
        *version_out = version;
    }
    return s;
}
