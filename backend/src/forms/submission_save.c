/* PATCH /api/v1/submissions/{id}: autosave of the changed answers only. The client sends
 * the version its changes are based on; an older version gets 409 with both versions'
 * answers, never a silent overwrite. */
#include "forms/handlers.h"
#include "auth/principal.h"

#include "forms/answers.h"
#include "forms/instrument_store.h"
#include "auth/scope.h"
#include "forms/submission_reply.h"
#include "forms/submission_store.h"

#include <stdlib.h>

/* Fills a 422 problem with one error per bad answer. */
json_t *submission_errors_problem(const form_errors *errs, const char *detail)
{
    json_t *p = problem_of(PK_INVALID_ANSWERS, detail);
    for (size_t i = 0; i < errs->count; i++)
        problem_add_error(p, errs->items[i].where, errs->items[i].message);
    return p;
}

/* Loads the sheet (no lock, no transaction: the UPDATE below checks the version). Fills rs
 * and returns -1 when it is missing or the caller may not edit it now. */
static int load_editable(request *rq, response *rs, submission_row *sub)
{
    int found = 0;
    db_status s = submission_find(rq, scope_parse_id(rq->params[0]), 0, sub, &found);
    if (s != DB_OK || !found) {
        s != DB_OK ? reply_db_error(rq, rs, s)
                   : reply_problem(rq, rs, PK_NOT_FOUND, "Анкета не найдена.");
        return -1;
    }
    if (submission_can_edit(rq, sub) && sub->campaign_open)
        return 0;
    if (sub->created_by != rq->me->user_id)
        reply_problem(rq, rs, PK_FORBIDDEN, "Изменять анкету может только тот, кто её заполняет.");
    else
        submission_conflict(rq, rs, sub);
    return -1;
}

static int version_conflict(request *rq, response *rs, const submission_row *sub, json_t *delta)
{
    json_t *current = arena_json(rq->a, json_loads(sub->answers, 0, NULL));
    json_t *p = problem_of(PK_VERSION_CONFLICT,
                           "Анкету уже изменили в другом окне или на другом устройстве.");
    json_object_set_new(p, "current_version", json_integer(sub->version));
    json_object_set(p, "current_answers", current ? current : json_object());
    json_object_set(p, "your_answers", delta);
    return reply_problem_doc(rq, rs, p);
}

/* The stored answers with the delta applied: a value replaces the answer, null removes it.
 * The parsed copy of the stored text is this request's own, so it is changed in place. */
static json_t *merge(request *rq, const submission_row *sub, json_t *delta)
{
    json_t *merged = arena_json(rq->a, json_loads(sub->answers, 0, NULL));
    if (!json_is_object(merged))
        merged = arena_json(rq->a, json_object());
    const char *code;
    json_t *value;
    json_object_foreach(delta, code, value)
    {
        if (json_is_null(value))
            json_object_del(merged, code);
        else
            json_object_set(merged, code, value);
    }
    return merged;
}

/* Stores the merged answers if the sheet is still at the version and status that were
 * read: *stored is 0 when another save (or a submit) came first. */
static db_status store(request *rq, const submission_row *sub, json_t *merged,
                       const answers_progress *prog, int *stored)
{
    *stored = 0;
    char *text = json_dumps(merged, JSON_COMPACT);
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    if (!copy)
        return DB_ERROR;
    db_val p[] = {DB_STR(copy),           DB_INT(prog->answered),
                  DB_INT(prog->required), DB_INT(prog->required_answered),
                  DB_INT(sub->id),        DB_INT(sub->version),
                  DB_STR(sub->status)};
    db_result r;
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE submissions SET answers = ?, answered_count = ?, "
                          "required_count = ?, required_answered = ?, version = version + 1 "
                          "WHERE id = ? AND version = ? AND status = ?",
                          p, &r);
    *stored = s == DB_OK && r.affected == 1;
    return s;
}

/* One read, one check and one conditional UPDATE, without a transaction or a row lock: the
 * UPDATE changes the sheet only at the version the answers were merged into, so two saves
 * never overwrite each other — the later one gets the same 409 as a stale base_version. */
int handle_submission_save(request *rq, response *rs)
{
    json_t *base = json_is_object(rq->json) ? json_object_get(rq->json, "base_version") : NULL;
    json_t *delta = json_is_object(rq->json) ? json_object_get(rq->json, "answers") : NULL;
    if (!json_is_integer(base) || !json_is_object(delta) || json_object_size(delta) > 10000) {
        json_t *p = problem_of(PK_VALIDATION, "Ожидаются base_version и answers.");
        if (!json_is_integer(base))
            problem_add_error(p, "base_version", "целое число: версия, на которой основаны правки");
        if (!json_is_object(delta))
            problem_add_error(p, "answers", "объект {код пункта: ответ}");
        return reply_problem_doc(rq, rs, p);
    }
    submission_row sub;
    if (load_editable(rq, rs, &sub) != 0)
        return rs->status;
    if (json_integer_value(base) != sub.version) {
        version_conflict(rq, rs, &sub, delta);
        return rs->status;
    }
    json_t *merged = merge(rq, &sub, delta);
    stored_instrument si;
    int found = 0;
    db_status s =
        instrument_store_get(rq->instruments, rq->db, rq->a, sub.instrument_id, &si, &found);
    if (s != DB_OK || !found)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    form_errors errs;
    form_errors_init(&errs, rq->a, ANSWERS_MAX_ERRORS);
    answer_set set;
    int rc = answers_check(rq->a, si.ins, merged, ANSWERS_DRAFT, &set, &errs);
    if (rc != 0) {
        if (rc < 0)
            reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
        else
            reply_problem_doc(rq, rs,
                              submission_errors_problem(&errs, "Некоторые ответы неверны."));
        return rs->status;
    }
    answers_progress prog;
    answers_count(&set, &prog);
    int stored = 0;
    s = store(rq, &sub, merged, &prog, &stored);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!stored) {
        /* changed since it was read: answer from its state now */
        if (load_editable(rq, rs, &sub) == 0)
            version_conflict(rq, rs, &sub, delta);
        return rs->status;
    }
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:I, s:s, s:{s:I, s:I, s:I}}", "id", (json_int_t)sub.id,
                                  "version", (json_int_t)(sub.version + 1), "status", sub.status,
                                  "progress", "answered", (json_int_t)prog.answered, "required",
                                  (json_int_t)prog.required, "required_answered",
                                  (json_int_t)prog.required_answered));
}
