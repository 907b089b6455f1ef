/* The indicators a refused submission lacks photos or justifications for. */
#include "forms/submission_asks.h"

#include <string.h>

int submission_item_is_justification(const inst_item *it)
{
    size_t n = strlen(it->code);
    return (it->type == ITEM_TEXT || it->type == ITEM_LONGTEXT) && n > 8 &&
           strcmp(it->code + n - 8, ".comment") == 0;
}

/* Appends the indicator of it to list unless it is already the last one added (the errors
 * come in document order, so an indicator's items are adjacent). */
static int add_indicator(json_t *list, const instrument *ins, const inst_item *it)
{
    const char *code = ins->indicators[it->indicator].code;
    size_t n = json_array_size(list);
    if (n && strcmp(json_string_value(json_array_get(list, n - 1)), code) == 0)
        return 0;
    return json_array_append_new(list, json_string(code));
}

/* "QS.1.1, QS.1.2" in the arena. */
static char *joined(arena *a, const json_t *list)
{
    char *out = arena_strdup(a, "");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        out = out ? arena_sprintf(a, "%s%s%s", out, i ? ", " : "", json_string_value(v)) : NULL;
    }
    return out;
}

int submission_asks_explain(arena *a, const instrument *ins, const form_errors *errs,
                            json_t *problem)
{
    json_t *evidence = json_array();
    json_t *justification = json_array();
    int rc = evidence && justification ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < errs->count; i++) {
        const inst_item *it = instrument_item(ins, errs->items[i].where);
        if (it && it->type == ITEM_EVIDENCE)
            rc = add_indicator(evidence, ins, it);
        else if (it && submission_item_is_justification(it))
            rc = add_indicator(justification, ins, it);
    }
    const char *detail = json_string_value(json_object_get(problem, "detail"));
    if (rc == 0 && json_array_size(evidence))
        detail = arena_sprintf(a, "%s Нет фото или видео к показателям: %s.", detail ? detail : "",
                               joined(a, evidence));
    if (rc == 0 && detail && json_array_size(justification))
        detail = arena_sprintf(a, "%s Нет обоснования к показателям: %s.", detail,
                               joined(a, justification));
    if (rc == 0 && !detail)
        rc = -1;
    if (rc == 0 && (json_array_size(evidence) || json_array_size(justification)))
        rc = json_object_set_new(problem, "detail", json_string(detail));
    if (rc == 0 && json_array_size(evidence))
        rc = json_object_set(problem, "missing_evidence", evidence);
    if (rc == 0 && json_array_size(justification))
        rc = json_object_set(problem, "missing_justification", justification);
    json_decref(evidence);
    json_decref(justification);
    return rc;
}

db_status submission_asks_linked(db_conn *db, arena *a, const instrument *ins, long long sub_id,
                                 json_t *answers)
{
    db_val p[] = {DB_INT(sub_id)};
    db_result r;
    db_status s = DB_EXEC(db, a,
                          "SELECT indicator_code, MIN(file_id) FROM evidence_links "
                          "WHERE submission_id = ? GROUP BY indicator_code",
                          p, &r);
    for (size_t row = 0; s == DB_OK && row < r.nrows; row++) {
        const inst_indicator *ind = instrument_indicator(ins, db_cell(&r, row, 0));
        for (size_t k = 0; ind && k < ind->n_items; k++) {
            const inst_item *it = &ins->items[ind->first_item + k];
            json_t *have = json_object_get(answers, it->code);
            if (it->type != ITEM_EVIDENCE || (json_is_array(have) && json_array_size(have)))
                continue;
            json_t *ids = json_array();
            if (!ids || json_array_append_new(ids, json_integer(db_cell_int(&r, row, 1, 0))) != 0 ||
                json_object_set_new(answers, it->code, ids) != 0)
                s = DB_ERROR;
        }
    }
    return s;
}
