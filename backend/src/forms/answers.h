/* Answers to an instrument: {"item code": value, …} checked against a parsed instrument
 * (value shapes per item type in docs/instruments.md) into typed values for scoring. Pure:
 * no I/O. Two modes: a draft accepts any subset of answers and checks only shapes, ranges
 * and codes; a submission also needs every required item answered and "na" only where the
 * item allows it. */
#ifndef VSOK_ANSWERS_H
#define VSOK_ANSWERS_H

#include "core/arena.h"
#include "http/form_errors.h"
#include "forms/instrument.h"

#include <jansson.h>
#include <stddef.h>

typedef enum { ANSWERS_DRAFT = 0, ANSWERS_SUBMIT } answers_mode;

typedef enum {
    ANSWER_NONE = 0, /* not answered: absent, null, "", blank text, [] */
    ANSWER_NA,       /* "na": not applicable */
    ANSWER_GIVEN
} answer_state;

/* choice of check ("met" = YES), ecers, yes_no and yes_no_unsure answers. */
#define ANSWER_NO 0
#define ANSWER_YES 1
#define ANSWER_UNSURE 2

typedef struct {
    answer_state state;
    int choice;             /* the ANSWER_* above; likert5: 1..5; single: option index */
    double number;          /* number */
    const char *text;       /* text, longtext, date (YYYY-MM-DD); copied into the arena */
    const size_t *chosen;   /* multi: option indexes in the order given */
    const long long *files; /* evidence: file ids in the order given */
    size_t count;           /* multi: options chosen; evidence: files */
} answer;

typedef struct {
    const instrument *ins;
    answer *items; /* ins->n_items entries in item order; ANSWER_NONE for a bad value */
} answer_set;

/* Suggested cap for the error list of answers (form_errors_init). */
#define ANSWERS_MAX_ERRORS 500

/* Checks answers (a JSON object) against ins. Fills *set (which may be NULL) with every
 * value that passed and errs with one error per bad field (where = the item code, or "$"
 * when answers is not an object): first the instrument's items in order, then unknown
 * codes in the order given. Returns 0 when there is no error, 1 when errs holds errors,
 * -1 when out of memory. */
int answers_check(arena *a, const instrument *ins, const json_t *answers, answers_mode mode,
                  answer_set *set, form_errors *errs);

/* The answer to the item with this code, or NULL when the instrument has no such item. */
const answer *answers_get(const answer_set *set, const char *code);

/* Whether an item counts as answered (a value or "na"). */
int answers_is_answered(const answer *ans);

/* Progress of a form: items answered, required items, required items answered. */
typedef struct {
    size_t answered;
    size_t required;
    size_t required_answered;
} answers_progress;

void answers_count(const answer_set *set, answers_progress *out);

#endif
