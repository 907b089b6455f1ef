/* The counting rules of the rollups and the path arithmetic of their ancestors. */
#include "dashboards/rollup_rules.h"

#include "forms/instrument.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rollup_source(const char *respondent_role, uint64_t target_user_id,
                          const char *target_level)
{
    if (respondent_role && strcmp(respondent_role, "expert") == 0)
        return "expert";
    if (target_user_id != 0)
        return "teacher";
    if (target_level && strcmp(target_level, "group") == 0)
        return "group";
    return "self";
}

static int listed(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

size_t rollup_instrument_sources(const instrument *ins, const char *out[4])
{
    size_t n = 0;
    if (listed(ins->targets, ins->n_targets, "kindergarten") &&
        listed(ins->respondents, ins->n_respondents, "doo_coordinator"))
        out[n++] = "self";
    if (listed(ins->targets, ins->n_targets, "group"))
        out[n++] = "group";
    if (listed(ins->targets, ins->n_targets, "teacher"))
        out[n++] = "teacher";
    if (listed(ins->respondents, ins->n_respondents, "expert"))
        out[n++] = "expert";
    return n;
}

int rollup_counts_results(const char *status, const char *respondent_role)
{
    if (!status)
        return 0;
    if (strcmp(status, "approved") == 0)
        return 1;
    return strcmp(status, "submitted") == 0 && respondent_role &&
           strcmp(respondent_role, "expert") == 0;
}

int rollup_counts_submitted(const char *status)
{
    return status && (strcmp(status, "submitted") == 0 || strcmp(status, "approved") == 0);
}

int rollup_counts_approved(const char *status)
{
    return status && strcmp(status, "approved") == 0;
}

/* Splits "/1/7/112/" into ids; returns the count or -1 when malformed. */
static long path_ids(const char *path, unsigned long long *ids, size_t cap)
{
    if (!path || path[0] != '/')
        return -1;
    size_t n = 0;
    const char *p = path + 1;
    while (*p) {
        char *end;
        if (*p < '0' || *p > '9')
            return -1;
        unsigned long long v = strtoull(p, &end, 10);
        if (*end != '/' || n == cap)
            return -1;
        ids[n++] = v;
        p = end + 1;
    }
    return (long)n;
}

#define PATH_MAX_IDS 64

long rollup_path_id_list(const char *path, unsigned long long *ids, size_t cap)
{
    return path_ids(path, ids, cap);
}

static char *ids_json(arena *a, const unsigned long long *ids, size_t n)
{
    char *out = arena_alloc(a, n * 21 + 3);
    if (!out)
        return NULL;
    size_t len = 0;
    out[len++] = '[';
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(out + len, i ? ",%llu" : "%llu", ids[i]);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

char *rollup_path_ids(arena *a, const char *path, int skip_last)
{
    unsigned long long ids[PATH_MAX_IDS];
    long n = path_ids(path, ids, PATH_MAX_IDS);
    if (n < 0 || (skip_last && n == 0))
        return NULL;
    return ids_json(a, ids, (size_t)(skip_last ? n - 1 : n));
}

char *rollup_path_diff(arena *a, const char *path_a, const char *path_b)
{
    unsigned long long ia[PATH_MAX_IDS], ib[PATH_MAX_IDS], out[PATH_MAX_IDS];
    long na = path_ids(path_a, ia, PATH_MAX_IDS), nb = path_ids(path_b, ib, PATH_MAX_IDS);
    if (na <= 0 || nb <= 0)
        return NULL;
    size_t n = 0;
    for (long i = 0; i < na - 1; i++) {
        int shared = 0;
        for (long j = 0; j < nb - 1 && !shared; j++)
            shared = ia[i] == ib[j];
        if (!shared)
            out[n++] = ia[i];
    }
    return ids_json(a, out, n);
}

long rollup_parent_statements(arena *a, const instrument *ins, const answer_set *set,
                              parent_statement **out)
{
    size_t n = 0;
    for (size_t i = 0; i < ins->n_items; i++)
        n += instrument_item_scored(RULE_SHARE_POSITIVE, &ins->items[i]) ? 1 : 0;
    parent_statement *st = arena_alloc(a, (n ? n : 1) * sizeof *st);
    if (!st)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < ins->n_items; i++) {
        const inst_item *it = &ins->items[i];
        if (!instrument_item_scored(RULE_SHARE_POSITIVE, it))
            continue;
        const answer *ans = &set->items[i];
        st[k].code = it->code;
        st[k].answered = ans->state == ANSWER_GIVEN;
        st[k].positive = st[k].answered &&
                         (it->type == ITEM_LIKERT5 ? ans->choice >= 4 : ans->choice == ANSWER_YES);
        k++;
    }
    *out = st;
    return (long)k;
}

char *rollup_parent_statements_json(arena *a, const parent_statement *st, size_t n)
{
    size_t cap = 3;
    for (size_t i = 0; i < n; i++)
        cap += strlen(st[i].code) + 48;
    char *out = arena_alloc(a, cap);
    if (!out)
        return NULL;
    size_t len = 0, k = 0;
    out[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (!st[i].answered)
            continue;
        /* codes are checked identifiers of the instrument (letters, digits, dots, dashes) */
        len += (size_t)snprintf(out + len, cap - len,
                                "%s{\"code\":\"%s\",\"answered\":1,\"positive\":%d}",
                                k++ ? "," : "", st[i].code, st[i].positive ? 1 : 0);
    }
    out[len++] = ']';
    out[len] = '\0';
    return out;
}
