/* Who may review whose work: the one table of review rights (docs/api-forms.md, "Access";
 * docs/api-experts.md, "Reports"). Rank alone does not decide: the right follows the role
 * the work was written in, the reviewer must not be its author nor the person it assesses,
 * and where the work assesses a kindergarten from outside or for the level above (an
 * expert's sheet, a kindergarten's self-assessment), the reviewer must be independent of
 * that kindergarten: neither their org unit nor their workplace lies in it. That the
 * kindergarten lies within the reviewer's scope is checked by the query that finds the
 * work (404 otherwise). Pure: no I/O, unit-tested in tests/unit/test_review_rules.c. */
#ifndef VSOK_REVIEW_RULES_H
#define VSOK_REVIEW_RULES_H

#include "core/roles.h"

#include <stdint.h>

typedef enum {
    REVIEW_ALLOWED = 0,
    REVIEW_OWN_WORK,        /* the reviewer wrote it or is the person it assesses */
    REVIEW_ROLE,            /* the reviewer's role does not review work of the author's role */
    REVIEW_NOT_INDEPENDENT, /* the reviewer belongs to the kindergarten the work assesses */
} review_verdict;

typedef struct {
    role role;
    uint64_t user_id;
    int inside; /* their org unit or workplace lies in the assessed kindergarten */
} review_reviewer;

typedef struct {
    role author_role;    /* the role the work was written in (a sheet's respondent_role) */
    uint64_t author_id;  /* who wrote it */
    uint64_t subject_id; /* the person it assesses (a personal sheet); 0 when none */
} review_work;

/* May `by` return or approve work `w`? REVIEW_ALLOWED or the first reason it may not. */
review_verdict review_check(const review_reviewer *by, const review_work *w);

/* The roles (ROLE_BIT mask) that review work written in role author. */
unsigned review_roles(role author);

/* Does reviewing work of the author's role require independence from the kindergarten? */
int review_needs_independence(role author);

/* The reason of a refusal, in Russian, for the detail of a 403. */
const char *review_refusal(review_verdict v);

#endif
