/* The sign-off of a kindergarten's results as a pure rule (docs/analysis.md, "Sign-off"):
 * the levels of the campaign's chain confirm one after another, bottom up; the level the
 * results wait for may send them back one step (the first level: to the kindergarten, which
 * resubmits them), and the top level may take back its own confirmation the same way. The
 * first confirmation needs the kindergarten's results ready: its sheets reviewed and an
 * expert's report final. */
#ifndef VSOK_SIGNOFF_STATE_H
#define VSOK_SIGNOFF_STATE_H

#include "analysis/signoff_levels.h"

typedef struct {
    signoff_chain chain;
    int signed_n;            /* how many levels of the chain have confirmed, bottom up */
    const char *returned_by; /* the level whose send-back is unanswered, or NULL */
    int ready;               /* sheets reviewed and an expert's report final */
} signoff_state;

/* "not_ready", "awaiting", "returned" or "confirmed". */
const char *signoff_state_name(const signoff_state *s);

/* Who acts next: "kindergarten", a level of the chain, or NULL once confirmed. */
const char *signoff_waiting_for(const signoff_state *s);

int signoff_confirmed(const signoff_state *s);
int signoff_may_confirm(const signoff_state *s, const char *level);
int signoff_may_return(const signoff_state *s, const char *level);
int signoff_may_resubmit(const signoff_state *s);

/* The steps; each assumes its signoff_may_* holds. */
void signoff_apply_confirm(signoff_state *s);
void signoff_apply_return(signoff_state *s, const char *level);
void signoff_apply_resubmit(signoff_state *s);

#endif
