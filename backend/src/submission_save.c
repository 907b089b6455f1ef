/* PATCH /api/v1/submissions/{id}: autosave of the changed answers only. The client sends
 * the version its changes are based on; an older version gets 409 with both versions'
 * answers, never a silent overwrite. */
#include "handlers.h"

#include "answers.h"
#include "instrument_store.h"
#include "scope.h"
#include "submission_store.h"

#include <stdlib.h>

/* Fills a 422 problem with one error per bad answer. */
json_t *submission_errors_problem(const form_errors *errs, const char *detail)
{
    json_t *p = problem_new(422, "invalid-answers", "Invalid answers", detail);
    for (size_t i = 0; i < errs->count; i++)
        problem_add_error(p, errs->items[i].where, errs->items[i].message);
    return p;
}

/* A 409 for a missing lock or a closed sheet. */
void submission_conflict(request *rq, response *rs, const submission_row *sub)
{
    if (!sub->campaign_open)
        stage_window_refuse(rq, rs, &sub->window);
    else
        respond_problem(rq, rs, 409, "not-editable", "Not editable",
                        "Анкету сейчас изменить нельзя: она отправлена или утверждена.");
}

void handle_submission_save(request *rq, response *rs)
{
    json_t *base = json_is_object(rq->json) ? json_object_get(rq->json, "base_version") : NULL;
    json_t *delta = json_is_object(rq->json) ? json_object_get(rq->json, "answers") : NULL;
    if (!json_is_integer(base) || !json_is_object(delta) || json_object_size(delta) > 10000) {
        json_t *p = problem_new(422, "validation", "Validation failed",
                                "Ожидаются base_version и answers.");
        if (!json_is_integer(base))
            problem_add_error(p, "base_version", "целое число: версия, на которой основаны правки");
        if (!json_is_object(delta))
            problem_add_error(p, "answers", "объект {код пункта: ответ}");
        respond_problem_doc(rq, rs, p);
        return;
    }
    submission_row sub;
    if (submission_begin_locked(rq, rs, &sub) != 0)
        return;
    int found = 0;
    db_status s;
    if (!submission_can_edit(rq, &sub) || !sub.campaign_open) {
        db_rollback(rq->db);
        if (sub.created_by != rq->me->user_id)
            respond_problem(rq, rs, 403, "forbidden", "Forbidden",
                            "Изменять анкету может только тот, кто её заполняет.");
        else
            submission_conflict(rq, rs, &sub);
        return;
    }
    json_t *current = arena_json(rq->a, json_loads(sub.answers, 0, NULL));
    if (json_integer_value(base) != sub.version) {
        db_rollback(rq->db);
        json_t *p = problem_new(409, "version-conflict", "Version conflict",
                                "Анкету уже изменили в другом окне или на другом устройстве.");
        json_object_set_new(p, "current_version", json_integer(sub.version));
        json_object_set(p, "current_answers", current ? current : json_object());
        json_object_set(p, "your_answers", delta);
        respond_problem_doc(rq, rs, p);
        return;
    }
    /* Merge: a value replaces the answer, null removes it. */
    json_t *merged = arena_json(rq->a, json_copy(current ? current : json_object()));
    const char *code;
    json_t *value;
    json_object_foreach(delta, code, value)
    {
        if (json_is_null(value))
            json_object_del(merged, code);
        else
            json_object_set(merged, code, value);
    }
    stored_instrument si;
    s = instrument_store_get(rq->instruments, rq->db, rq->a, sub.instrument_id, &si, &found);
    if (s != DB_OK || !found) {
        db_rollback(rq->db);
        respond_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
        return;
    }
    form_errors errs;
    form_errors_init(&errs, rq->a, ANSWERS_MAX_ERRORS);
    answer_set set;
    int rc = answers_check(rq->a, si.ins, merged, ANSWERS_DRAFT, &set, &errs);
    if (rc != 0) {
        db_rollback(rq->db);
        if (rc < 0)
            respond_problem(rq, rs, 500, NULL, NULL, "Внутренняя ошибка сервера.");
        else
            respond_problem_doc(rq, rs,
                                submission_errors_problem(&errs, "Некоторые ответы неверны."));
        return;
    }
    answers_progress prog;
    answers_count(&set, &prog);
    char *text = json_dumps(merged, JSON_COMPACT);
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    if (!copy) {
        db_rollback(rq->db);
        respond_problem(rq, rs, 500, NULL, NULL, "Внутренняя ошибка сервера.");
        return;
    }
    db_val p[] = {DB_STR(copy), DB_INT(prog.answered), DB_INT(prog.required),
                  DB_INT(prog.required_answered), DB_INT(sub.id)};
    s = db_exec(rq->db, rq->a,
                "UPDATE submissions SET answers = ?, answered_count = ?, required_count = ?, "
                "required_answered = ?, version = version + 1 WHERE id = ?",
                p, 5, NULL);
    s = s == DB_OK ? db_commit(rq->db) : (db_rollback(rq->db), s);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    respond_json(rq, rs, 200,
                 json_pack("{s:I, s:I, s:s, s:{s:I, s:I, s:I}}", "id", (json_int_t)sub.id,
                           "version", (json_int_t)(sub.version + 1), "status", sub.status,
                           "progress", "answered", (json_int_t)prog.answered, "required",
                           (json_int_t)prog.required, "required_answered",
                           (json_int_t)prog.required_answered));
}
