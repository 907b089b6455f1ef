#include "analysis/signoff_state.h"

#include <string.h>

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

int signoff_confirmed(const signoff_state *s)
{
    return s->chain.n > 0 && (size_t)s->signed_n >= s->chain.n;
}

const char *signoff_waiting_for(const signoff_state *s)
{
    if (signoff_confirmed(s))
        return NULL;
    if (s->signed_n == 0 && same(s->returned_by, s->chain.names[0]))
        return "kindergarten";
    return s->chain.names[s->signed_n];
}

const char *signoff_state_name(const signoff_state *s)
{
    if (signoff_confirmed(s))
        return "confirmed";
    if (s->returned_by)
        return "returned";
    return s->signed_n == 0 && !s->ready ? "not_ready" : "awaiting";
}

int signoff_may_confirm(const signoff_state *s, const char *level)
{
    return same(signoff_waiting_for(s), level) && (s->signed_n > 0 || s->ready);
}

int signoff_may_return(const signoff_state *s, const char *level)
{
    int i = signoff_chain_index(&s->chain, level);
    if (i < 0)
        return 0;
    return same(signoff_waiting_for(s), level) ||
           ((size_t)i + 1 == s->chain.n && signoff_confirmed(s));
}

int signoff_may_resubmit(const signoff_state *s)
{
    return same(signoff_waiting_for(s), "kindergarten") && s->ready;
}

void signoff_apply_confirm(signoff_state *s)
{
    s->signed_n++;
    s->returned_by = NULL;
}

void signoff_apply_return(signoff_state *s, const char *level)
{
    int i = signoff_chain_index(&s->chain, level);
    s->signed_n = i > 0 ? i - 1 : 0;
    s->returned_by = s->chain.names[i > 0 ? i : 0];
}

void signoff_apply_resubmit(signoff_state *s)
{
    s->returned_by = NULL;
}
