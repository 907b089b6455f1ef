/* One answer value per item type (shapes in docs/instruments.md). Each reader returns 0
 * when valid, 1 with a message, -1 when out of memory. */
#include "forms/answers_value.h"
#include "http/form_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bad(char *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(char *msg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, ANSWER_MSG_MAX, fmt, ap);
    va_end(ap);
    return 1;
}

/* The index of the string v in words (NULL-terminated), or -1. */
static int word_index(const json_t *v, const char *const *words)
{
    if (!json_is_string(v))
        return -1;
    for (int i = 0; words[i]; i++) {
        if (strcmp(words[i], json_string_value(v)) == 0)
            return i;
    }
    return -1;
}

/* check, ecers, yes_no, yes_no_unsure: the index in the lists is the ANSWER_* value. */
static int read_words(const inst_item *it, const json_t *v, answer *out, char *msg)
{
    static const char *const check[] = {"not_met", "met", NULL};
    static const char *const yes_no[] = {"no", "yes", NULL};
    static const char *const unsure[] = {"no", "yes", "unsure", NULL};
    const char *na = it->na_allowed ? " или «na» (не применимо)" : "";
    if (it->type == ITEM_CHECK) {
        out->choice = word_index(v, check);
        if (out->choice < 0)
            return bad(msg, "ожидается «met» (выполнено) или «not_met» (не выполнено)%s", na);
    } else if (it->type == ITEM_YES_NO_UNSURE) {
        out->choice = word_index(v, unsure);
        if (out->choice < 0)
            return bad(msg, "ожидается «yes», «no» или «unsure» (затрудняюсь ответить)%s", na);
    } else {
        out->choice = word_index(v, yes_no);
        if (out->choice < 0)
            return bad(msg, "ожидается «yes» или «no»%s", na);
    }
    return 0;
}

/* The index of the option whose code is the string v, or -1. */
static int option_index(const inst_item *it, const json_t *v)
{
    for (size_t i = 0; i < it->n_options; i++) {
        if (strcmp(it->options[i].code, json_string_value(v)) == 0)
            return (int)i;
    }
    return -1;
}

static int read_single(const inst_item *it, const json_t *v, answer *out, char *msg)
{
    if (!json_is_string(v))
        return bad(msg, "ожидается код варианта (строка)");
    out->choice = option_index(it, v);
    if (out->choice < 0)
        return bad(msg, "нет такого варианта: «%.*s»", form_utf8_prefix(json_string_value(v), 80),
                   json_string_value(v));
    return 0;
}

static int read_multi(arena *a, const inst_item *it, const json_t *v, answers_mode mode,
                      answer *out, char *msg)
{
    if (!json_is_array(v))
        return bad(msg, "ожидается массив кодов вариантов");
    size_t n = json_array_size(v);
    if (n > it->n_options)
        return bad(msg, "выбрано больше вариантов, чем есть в вопросе");
    size_t *chosen = arena_alloc(a, (n + 1) * sizeof *chosen);
    if (!chosen)
        return -1;
    for (size_t k = 0; k < n; k++) {
        const json_t *e = json_array_get(v, k);
        if (!json_is_string(e))
            return bad(msg, "ожидается массив кодов вариантов");
        int i = option_index(it, e);
        if (i < 0)
            return bad(msg, "нет такого варианта: «%.*s»",
                       form_utf8_prefix(json_string_value(e), 80), json_string_value(e));
        for (size_t j = 0; j < k; j++) {
            if (chosen[j] == (size_t)i)
                return bad(msg, "вариант «%s» выбран дважды", it->options[i].code);
        }
        chosen[k] = (size_t)i;
    }
    if (n > it->max_choices)
        return bad(msg, "выберите не больше %zu", it->max_choices);
    if (mode == ANSWERS_SUBMIT && n > 0 && n < it->min_choices)
        return bad(msg, "выберите не меньше %zu", it->min_choices);
    out->chosen = chosen;
    out->count = n;
    out->state = n ? ANSWER_GIVEN : ANSWER_NONE;
    return 0;
}

static int read_number(const inst_item *it, const json_t *v, answer *out, char *msg)
{
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return bad(msg, "%s", it->integer ? "ожидается целое число" : "ожидается число");
    double x = json_number_value(v);
    if (it->integer && x != floor(x))
        return bad(msg, "ожидается целое число");
    if (it->has_min && x < it->min)
        return bad(msg, "не меньше %g", it->min);
    if (it->has_max && x > it->max)
        return bad(msg, "не больше %g", it->max);
    out->number = x;
    return 0;
}

static int read_text(arena *a, const inst_item *it, const json_t *v, answer *out, char *msg)
{
    if (!json_is_string(v))
        return bad(msg, "ожидается строка");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return bad(msg, "строка не должна содержать символ NUL");
    size_t n = form_utf8_length(s);
    if (n > it->max_length)
        return bad(msg, "не длиннее %zu символов (сейчас %zu)", it->max_length, n);
    if (form_is_blank(s)) {
        out->state = ANSWER_NONE;
        return 0;
    }
    out->text = arena_strdup(a, s);
    return out->text ? 0 : -1;
}

static int read_date(arena *a, const json_t *v, answer *out, char *msg)
{
    if (!json_is_string(v))
        return bad(msg, "ожидается дата в формате ГГГГ-ММ-ДД");
    const char *s = json_string_value(v);
    if (!*s) {
        out->state = ANSWER_NONE;
        return 0;
    }
    int ok = strlen(s) == json_string_length(v) ? form_date_check(s) : 0;
    if (ok == 0)
        return bad(msg, "ожидается дата в формате ГГГГ-ММ-ДД");
    if (ok < 0)
        return bad(msg, "такой даты нет в календаре");
    out->text = arena_strdup(a, s);
    return out->text ? 0 : -1;
}

static int read_files(arena *a, const inst_item *it, const json_t *v, answer *out, char *msg)
{
    if (!json_is_array(v))
        return bad(msg, "ожидается массив идентификаторов файлов");
    size_t n = json_array_size(v);
    if (n > it->max_files)
        return bad(msg, "не больше %zu файлов", it->max_files);
    long long *files = arena_alloc(a, (n + 1) * sizeof *files);
    if (!files)
        return -1;
    for (size_t k = 0; k < n; k++) {
        const json_t *e = json_array_get(v, k);
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return bad(msg, "ожидается массив идентификаторов файлов (целые числа больше 0)");
        files[k] = json_integer_value(e);
        for (size_t j = 0; j < k; j++) {
            if (files[j] == files[k])
                return bad(msg, "файл %lld указан дважды", files[k]);
        }
    }
    out->files = files;
    out->count = n;
    out->state = n ? ANSWER_GIVEN : ANSWER_NONE;
    return 0;
}

static int read_likert(const json_t *v, answer *out, char *msg)
{
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
        return bad(msg, "ожидается целое число от 1 до 5");
    out->choice = (int)json_integer_value(v);
    return 0;
}

static int read_value(arena *a, const inst_item *it, const json_t *v, answers_mode mode,
                      answer *out, char *msg)
{
    switch (it->type) {
    case ITEM_CHECK:
    case ITEM_ECERS:
    case ITEM_YES_NO:
    case ITEM_YES_NO_UNSURE:
        return read_words(it, v, out, msg);
    case ITEM_SINGLE:
        return read_single(it, v, out, msg);
    case ITEM_MULTI:
        return read_multi(a, it, v, mode, out, msg);
    case ITEM_LIKERT5:
        return read_likert(v, out, msg);
    case ITEM_NUMBER:
        return read_number(it, v, out, msg);
    case ITEM_TEXT:
    case ITEM_LONGTEXT:
        return read_text(a, it, v, out, msg);
    case ITEM_DATE:
        return read_date(a, v, out, msg);
    case ITEM_EVIDENCE:
        return read_files(a, it, v, out, msg);
    default:
        return bad(msg, "неизвестный тип пункта");
    }
}

int answer_read(arena *a, const inst_item *it, const json_t *v, answers_mode mode, answer *out,
                char msg[ANSWER_MSG_MAX])
{
    memset(out, 0, sizeof *out);
    out->state = ANSWER_GIVEN;
    msg[0] = '\0';
    int rc = read_value(a, it, v, mode, out, msg);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}
