#include "forms/instrument_index.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    inst_code_entry e;
    size_t seq; /* document order, so that the first use sorts first */
} seq_entry;

static int by_code(const void *x, const void *y)
{
    const seq_entry *a = x, *b = y;
    int d = strcmp(a->e.code, b->e.code);
    if (d)
        return d;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The path of a node: "sections[i]", "sections[i].indicators[j]" or
 * "sections[i].indicators[j].items[k]", with positions inside the parent. */
static char *node_path(arena *a, const instrument *ins, const inst_code_entry *e)
{
    size_t s, ind;
    switch (e->kind) {
    case CODE_SECTION:
        return arena_sprintf(a, "sections[%zu]", e->index);
    case CODE_INDICATOR:
        s = ins->indicators[e->index].section;
        return arena_sprintf(a, "sections[%zu].indicators[%zu]", s,
                             e->index - ins->sections[s].first_indicator);
    default:
        ind = ins->items[e->index].indicator;
        s = ins->items[e->index].section;
        return arena_sprintf(a, "sections[%zu].indicators[%zu].items[%zu]", s,
                             ind - ins->sections[s].first_indicator,
                             e->index - ins->indicators[ind].first_item);
    }
}

static const char *kind_name(inst_code_kind k)
{
    return k == CODE_SECTION ? "раздела" : k == CODE_INDICATOR ? "показателя" : "пункта";
}

/* Appends a node with a code (nodes whose code was invalid have none). */
static void push(seq_entry *all, size_t *n, const char *code, inst_code_kind kind, size_t index)
{
    if (!code)
        return;
    all[*n] = (seq_entry){{code, kind, index}, *n};
    (*n)++;
}

int instrument_index_build(inst_ctx *c, instrument *ins)
{
    size_t total = ins->n_sections + ins->n_indicators + ins->n_items;
    seq_entry *all = arena_alloc(c->a, (total + 1) * sizeof *all);
    if (!all)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < ins->n_sections; i++)
        push(all, &n, ins->sections[i].code, CODE_SECTION, i);
    for (size_t i = 0; i < ins->n_indicators; i++)
        push(all, &n, ins->indicators[i].code, CODE_INDICATOR, i);
    for (size_t i = 0; i < ins->n_items; i++)
        push(all, &n, ins->items[i].code, CODE_ITEM, i);
    qsort(all, n, sizeof *all, by_code);
    inst_code_entry *index = arena_alloc(c->a, (n + 1) * sizeof *index);
    if (!index)
        return -1;
    int rc = 0;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && strcmp(index[kept - 1].code, all[i].e.code) == 0) {
            char *here = node_path(c->a, ins, &all[i].e);
            char *first = node_path(c->a, ins, &index[kept - 1]);
            char *where = here ? arena_sprintf(c->a, "%s.code", here) : NULL;
            if (!where || !first)
                return -1;
            if (form_errors_add(c->errs, where, "код «%s» уже использован: %s %s", all[i].e.code,
                                kind_name(index[kept - 1].kind), first) < 0)
                return -1;
            rc = 1;
            continue;
        }
        index[kept++] = all[i].e;
    }
    ins->index = index;
    ins->n_index = kept;
    return rc;
}

static const inst_code_entry *find(const instrument *ins, const char *code, inst_code_kind kind)
{
    if (!code)
        return NULL;
    size_t lo = 0, hi = ins->n_index;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(ins->index[mid].code, code);
        if (d == 0)
            return ins->index[mid].kind == kind ? &ins->index[mid] : NULL;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const inst_item *instrument_item(const instrument *ins, const char *code)
{
    const inst_code_entry *e = find(ins, code, CODE_ITEM);
    return e ? &ins->items[e->index] : NULL;
}

const inst_indicator *instrument_indicator(const instrument *ins, const char *code)
{
    const inst_code_entry *e = find(ins, code, CODE_INDICATOR);
    return e ? &ins->indicators[e->index] : NULL;
}

const inst_section *instrument_section(const instrument *ins, const char *code)
{
    const inst_code_entry *e = find(ins, code, CODE_SECTION);
    return e ? &ins->sections[e->index] : NULL;
}
