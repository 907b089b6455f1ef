#include "analysis/status_bands.h"

#include <math.h>
#include <string.h>

/* A minimum: a number from 0 to 7 with at most one decimal, in tenths; -1 when it is not. */
static long tenths_of(json_t *v)
{
    if (!json_is_number(v))
        return -1;
    double x = json_number_value(v) * 10.0;
    double r = floor(x + 0.5);
    return x >= 0 && x <= 70 && fabs(x - r) < 1e-6 ? (long)r : -1;
}

static int known_code(const char *code, const char *const *codes, size_t n)
{
    if (!codes)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return 1;
    return 0;
}

static int read_band(arena *a, json_t *b, size_t i, const char *const *codes, size_t n_codes,
                     status_band *out, json_t *p)
{
    char *field = arena_sprintf(a, "bands[%zu]", i);
    json_t *nv = json_object_get(b, "name");
    const char *name = json_string_value(nv);
    int bad = 0;
    if (!name || !*name || strlen(name) != json_string_length(nv) ||
        json_string_length(nv) > STATUS_NAME_MAX)
        bad = 1, problem_add_error(p, field, "название статуса: от 1 до 100 символов");
    out->name = name;
    json_t *mo = json_object_get(b, "min_overall");
    out->min_overall = mo && !json_is_null(mo) ? tenths_of(mo) : -1;
    if (mo && !json_is_null(mo) && out->min_overall < 0)
        bad = 1, problem_add_error(p, field, "порог общего балла: число от 0 до 7, один знак");
    json_t *ms = json_object_get(b, "min_sections");
    if (ms && !json_is_null(ms) && !json_is_object(ms))
        bad = 1, problem_add_error(p, field, "пороги областей: объект «код области: балл»");
    size_t n = json_is_object(ms) ? json_object_size(ms) : 0;
    out->codes = arena_alloc(a, (n ? n : 1) * sizeof *out->codes);
    out->mins = arena_alloc(a, (n ? n : 1) * sizeof *out->mins);
    if (!out->codes || !out->mins || !field)
        return -1;
    const char *code;
    json_t *v;
    json_object_foreach(json_is_object(ms) ? ms : NULL, code, v)
    {
        long t = tenths_of(v);
        if (!known_code(code, codes, n_codes) || t < 0) {
            bad = 1;
            problem_add_error(p, field, "порог области: код области шкалы и балл от 0 до 7");
            continue;
        }
        out->codes[out->n] = code;
        out->mins[out->n++] = t;
    }
    return bad ? -1 : 0;
}

int status_scale_read(arena *a, json_t *body, const char *const *codes, size_t n_codes,
                      status_scale *out, json_t *p)
{
    memset(out, 0, sizeof *out);
    const char *src = json_string_value(json_object_get(body, "source"));
    out->source = src ? src : "expert";
    int bad = 0;
    if (strcmp(out->source, "self") != 0 && strcmp(out->source, "group") != 0 &&
        strcmp(out->source, "expert") != 0)
        bad = 1, problem_add_error(p, "source", "self, group или expert");
    json_t *bands = json_object_get(body, "bands");
    size_t n = json_array_size(bands);
    if (!json_is_array(bands) || n == 0 || n > STATUS_BANDS_MAX) {
        problem_add_error(p, "bands", "список от 1 до 12 статусов, от высшего к низшему");
        return -1;
    }
    out->bands = arena_alloc(a, n * sizeof *out->bands);
    if (!out->bands)
        return -1;
    for (size_t i = 0; i < n; i++) {
        status_band *b = &out->bands[i];
        memset(b, 0, sizeof *b);
        if (read_band(a, json_array_get(bands, i), i, codes, n_codes, b, p) != 0)
            bad = 1;
        else if (status_band_index(out, b->name) >= 0)
            bad = 1, problem_add_error(p, "bands", "названия статусов не повторяются");
        else
            out->n++;
    }
    return bad ? -1 : 0;
}

json_t *status_bands_json(const status_scale *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const status_band *b = &s->bands[i];
        json_t *mins = json_object();
        for (size_t k = 0; k < b->n; k++)
            json_object_set_new(mins, b->codes[k], json_real((double)b->mins[k] / 10.0));
        json_array_append_new(
            arr,
            json_pack("{s:s, s:o, s:o}", "name", b->name, "min_overall",
                      b->min_overall >= 0 ? json_real((double)b->min_overall / 10.0) : json_null(),
                      "min_sections", mins));
    }
    return arr;
}

static int meets(const status_band *b, const dash_scores *f)
{
    if (b->min_overall >= 0 && (!f->has_overall || f->overall_tenths < b->min_overall))
        return 0;
    for (size_t k = 0; k < b->n; k++) {
        size_t i = 0;
        while (i < f->n && strcmp(f->codes[i], b->codes[k]) != 0)
            i++;
        if (i == f->n || !f->has[i] || f->tenths[i] < b->mins[k])
            return 0;
    }
    return 1;
}

int status_propose(const status_scale *s, const dash_scores *f)
{
    if (!f->has_overall) /* no results, no status */
        return -1;
    for (size_t i = 0; i < s->n; i++)
        if (meets(&s->bands[i], f))
            return (int)i;
    return -1;
}

int status_band_index(const status_scale *s, const char *name)
{
    for (size_t i = 0; name && i < s->n; i++)
        if (strcmp(s->bands[i].name, name) == 0)
            return (int)i;
    return -1;
}
