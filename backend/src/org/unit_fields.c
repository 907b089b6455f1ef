#include "org/unit_fields.h"

#include "http/form_text.h"

#include <string.h>

/* A text field: absent (0), null or "" (cleared, *out = NULL), or a string of 1..max
 * characters. Returns -1 and adds an error when malformed. */
static int text_field(json_t *body, const char *key, size_t max, json_t *problem,
                      const char *message, const char **out, int *given)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (given)
        *given = v != NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) > max * 4 ||
        strlen(json_string_value(v)) != json_string_length(v) ||
        !form_is_single_line(json_string_value(v))) {
        problem_add_error(problem, key, message);
        return -1;
    }
    const char *s = json_string_value(v);
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    if (chars > max) {
        problem_add_error(problem, key, message);
        return -1;
    }
    *out = *s ? s : NULL;
    return 0;
}

int unit_fields_read(request *rq, response *rs, unit_fields *f, int creating)
{
    memset(f, 0, sizeof *f);
    f->active = -1;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля формы.");
    if (!json_is_object(rq->json)) {
        problem_add_error(p, "body", "ожидается объект JSON");
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    int bad = 0, name_given = 0;
    bad |= text_field(
        rq->json, "name", 500, p,
        "название: одна строка до 500 символов, без переводов строк и управляющих символов",
        &f->name, &name_given);
    if ((creating || name_given) && !f->name && !bad) {
        problem_add_error(p, "name", "укажите название");
        bad = 1;
    }
    bad |=
        text_field(rq->json, "short_name", 200, p, "краткое название: одна строка до 200 символов",
                   &f->short_name, &f->has_short_name);
    bad |= text_field(rq->json, "code", 64, p, "код: одна строка до 64 символов", &f->code,
                      &f->has_code);
    bad |= text_field(rq->json, "address", 500, p, "адрес: одна строка до 500 символов",
                      &f->address, &f->has_address);
    json_t *active = json_object_get(rq->json, "active");
    if (active) {
        if (!json_is_boolean(active) || creating) {
            problem_add_error(p, "active", "true или false (только при изменении)");
            bad = 1;
        } else {
            f->active = json_is_true(active);
        }
    }
    json_t *children = json_object_get(rq->json, "children_enrolled");
    if (children) {
        if (creating || !(json_is_null(children) ||
                          (json_is_integer(children) && json_integer_value(children) >= 0 &&
                           json_integer_value(children) <= 10000))) {
            problem_add_error(
                p, "children_enrolled",
                "число детей в группе: от 0 до 10000 или null (только при изменении)");
            bad = 1;
        } else {
            f->has_children_enrolled = 1;
            f->children_enrolled = json_is_integer(children) ? json_integer_value(children) : -1;
        }
    }
    return reply_field_errors(rq, rs, p);
}
