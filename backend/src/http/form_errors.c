#include "http/form_errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void form_errors_init(form_errors *e, arena *a, size_t max)
{
    e->a = a;
    e->items = NULL;
    e->count = 0;
    e->cap = 0;
    e->max = max ? max : 100;
    e->truncated = 0;
    e->out_of_memory = 0;
}

static int fail(form_errors *e)
{
    e->out_of_memory = 1;
    return -1;
}

static int add_va(form_errors *e, const char *where, const char *fmt, va_list ap)
{
    if (e->count >= e->max) {
        e->truncated = 1;
        return 0;
    }
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        if (cap > e->max)
            cap = e->max;
        form_error *items = arena_alloc(e->a, cap * sizeof *items);
        if (!items)
            return fail(e);
        if (e->count)
            memcpy(items, e->items, e->count * sizeof *items);
        e->items = items;
        e->cap = cap;
    }
    form_error *err = &e->items[e->count];
    err->where = arena_strdup(e->a, where ? where : "");
    err->message = arena_vsprintf(e->a, fmt, ap);
    if (!err->where || !err->message)
        return fail(e);
    e->count++;
    return 0;
}

int form_errors_add(form_errors *e, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = add_va(e, where, fmt, ap);
    va_end(ap);
    return rc;
}

int form_errors_any(const form_errors *e)
{
    return e->count > 0 || e->truncated || e->out_of_memory;
}

char *form_error_text(arena *a, const form_error *err)
{
    if (!err->where[0])
        return arena_strdup(a, err->message);
    return arena_sprintf(a, "%s: %s", err->where, err->message);
}

/* Length of the text of p, without the terminating NUL. */
static size_t path_len(const form_path *p)
{
    size_t n = 0;
    for (; p; p = p->up) {
        if (p->key)
            n += strlen(p->key) + (p->up ? 1 : 0);
        else
            n += (size_t)snprintf(NULL, 0, "[%ld]", p->index);
    }
    return n;
}

char *form_path_text(arena *a, const form_path *p)
{
    if (!p)
        return arena_strdup(a, "$");
    size_t n = path_len(p);
    char *s = arena_alloc(a, n + 1);
    if (!s)
        return NULL;
    size_t end = n;
    for (; p; p = p->up) {
        char seg[32];
        const char *text = seg;
        size_t len;
        if (p->key) {
            text = p->key;
            len = strlen(p->key);
        } else {
            len = (size_t)snprintf(seg, sizeof seg, "[%ld]", p->index);
        }
        end -= len;
        memcpy(s + end, text, len);
        if (p->key && p->up)
            s[--end] = '.';
    }
    return s;
}

int form_errors_at(form_errors *e, const form_path *p, const char *key, const char *fmt, ...)
{
    form_path leaf = {p, key, -1};
    char *where = form_path_text(e->a, key ? &leaf : p);
    if (!where)
        return fail(e);
    va_list ap;
    va_start(ap, fmt);
    int rc = add_va(e, where, fmt, ap);
    va_end(ap);
    return rc;
}
