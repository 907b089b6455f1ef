/* Readers of single instrument fields (see instrument_parse.h). */
#include "http/form_text.h"
#include "forms/instrument_parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reports an error at p.key and returns 1 (or -1 when out of memory). */
static int report(inst_ctx *c, const form_path *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int report(inst_ctx *c, const form_path *p, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return form_errors_at(c->errs, p, key, "%s", msg) < 0 ? -1 : 1;
}

int ip_known_keys(inst_ctx *c, const json_t *obj, const form_path *p, const char *const *allowed)
{
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        (void)v;
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i])
            rc = ip_worst(rc, report(c, p, key, "неизвестное поле"));
    }
    return rc;
}

/* A JSON string without NUL, not blank, at most max characters; copied into *out. */
static int text_string(inst_ctx *c, const json_t *v, const form_path *p, const char *key,
                       size_t max, const char **out)
{
    if (!json_is_string(v))
        return report(c, p, key, "ожидается строка");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return report(c, p, key, "строка не должна содержать символ NUL");
    if (form_is_blank(s))
        return report(c, p, key, "текст не может быть пустым");
    size_t n = form_utf8_length(s);
    if (n > max)
        return report(c, p, key, "не длиннее %zu символов (сейчас %zu)", max, n);
    *out = arena_strdup(c->a, s);
    return *out ? 0 : -1;
}

int ip_text_node(inst_ctx *c, const json_t *v, const form_path *p, size_t max, inst_text *out)
{
    out->ru = out->en = NULL;
    if (json_is_string(v))
        return text_string(c, v, p, NULL, max, &out->ru);
    if (!json_is_object(v))
        return report(c, p, NULL, "ожидается строка или объект {\"ru\": …, \"en\": …}");
    static const char *const langs[] = {"ru", "en", NULL};
    int rc = ip_known_keys(c, v, p, langs);
    const json_t *ru = json_object_get(v, "ru");
    const json_t *en = json_object_get(v, "en");
    if (!ru)
        rc = ip_worst(rc, report(c, p, "ru", "обязательное поле"));
    else
        rc = ip_worst(rc, text_string(c, ru, p, "ru", max, &out->ru));
    if (en)
        rc = ip_worst(rc, text_string(c, en, p, "en", max, &out->en));
    return rc;
}

int ip_text(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
            size_t max, inst_text *out)
{
    out->ru = out->en = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? report(c, p, key, "обязательное поле") : 0;
    form_path here = {p, key, -1};
    return ip_text_node(c, v, &here, max, out);
}

int ip_code(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, const char **out)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return report(c, p, key, "обязательное поле");
    if (!json_is_string(v))
        return report(c, p, key, "ожидается строка");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v) || !form_is_code(s))
        return report(c, p, key,
                      "код: от 1 до %d латинских букв, цифр и знаков «_», «.», «-», "
                      "начинается с буквы или цифры",
                      FORM_CODE_MAX);
    *out = arena_strdup(c->a, s);
    return *out ? 0 : -1;
}

int ip_bool(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int *out,
            int *given)
{
    const json_t *v = json_object_get(obj, key);
    if (given)
        *given = v != NULL;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return report(c, p, key, "ожидается true или false");
    *out = json_is_true(v);
    return 0;
}

int ip_int(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
           long long lo, long long hi, const char *range_msg, long long *out, int *given)
{
    const json_t *v = json_object_get(obj, key);
    if (given)
        *given = v != NULL;
    if (!v)
        return required ? report(c, p, key, "обязательное поле") : 0;
    if (!json_is_integer(v))
        return report(c, p, key, "ожидается целое число: %s", range_msg);
    long long n = json_integer_value(v);
    if (n < lo || n > hi)
        return report(c, p, key, "%s", range_msg);
    *out = n;
    return 0;
}

int ip_number(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, double *out,
              int *given)
{
    const json_t *v = json_object_get(obj, key);
    *given = v != NULL;
    if (!v)
        return 0;
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return report(c, p, key, "ожидается число");
    *out = json_number_value(v);
    return 0;
}

int ip_array(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
             size_t max, const json_t **out)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? report(c, p, key, "обязательное поле") : 0;
    if (!json_is_array(v))
        return report(c, p, key, "ожидается массив");
    size_t n = json_array_size(v);
    if (n == 0)
        return report(c, p, key, "массив не может быть пустым");
    if (n > max)
        return report(c, p, key, "не больше %zu элементов (сейчас %zu)", max, n);
    *out = v;
    return 0;
}

int ip_words(inst_ctx *c, const json_t *obj, const form_path *p, const char *key,
             const char *const *allowed, const char *const **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t n_allowed = 0;
    while (allowed[n_allowed])
        n_allowed++;
    const json_t *arr;
    int rc = ip_array(c, obj, p, key, 1, n_allowed, &arr);
    if (rc != 0)
        return rc;
    const char **words = arena_alloc(c->a, json_array_size(arr) * sizeof *words);
    if (!words)
        return -1;
    form_path here = {p, key, -1};
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        form_path at = {&here, NULL, (long)i};
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        size_t k = 0;
        while (s && allowed[k] && strcmp(allowed[k], s) != 0)
            k++;
        if (!s || !allowed[k]) {
            char list[256] = "";
            for (size_t j = 0; allowed[j]; j++) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s", j ? ", " : "", allowed[j]);
            }
            rc = ip_worst(rc, report(c, &at, NULL, "ожидается одно из: %s", list));
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < *n; j++)
            dup |= words[j] == allowed[k];
        if (dup) {
            rc = ip_worst(rc, report(c, &at, NULL, "«%s» уже указано", s));
            continue;
        }
        words[(*n)++] = allowed[k];
    }
    *out = words;
    return rc;
}
