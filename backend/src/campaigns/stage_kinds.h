/* The stages of the yearly monitoring cycle (DOMAIN.md, "The yearly cycle"): what each one
 * is, which shipped instrument fits it, who fills it and for which level, and its usual
 * dates inside the October–December season. The campaign template and the validation of
 * stages read this table. */
#ifndef VSOK_STAGE_KINDS_H
#define VSOK_STAGE_KINDS_H

#include <stddef.h>

typedef struct {
    const char *kind;            /* "teacher_self" */
    const char *title;           /* Russian title */
    const char *instrument_code; /* the shipped instrument that fits, or NULL */
    const char *respondents;     /* comma-separated roles ("parent" for the questionnaire) */
    const char *target_level;    /* kindergarten | group | teacher | unit */
    int opens_month, opens_day, closes_month, closes_day;
} stage_kind_def;

extern const stage_kind_def STAGE_KINDS[];
extern const size_t STAGE_KINDS_COUNT;

/* The definition of a kind, or NULL. */
const stage_kind_def *stage_kind_find(const char *kind);

/* Is name a respondent a stage may name: a role, or "parent"? */
int stage_respondent_valid(const char *name);

/* Is level a stage target level? */
int stage_target_level_valid(const char *level);

/* Is s a calendar date YYYY-MM-DD (year from 1000, the days of its month, 29 February in
 * leap years only)? */
int stage_date_valid(const char *s);

/* Does the comma-separated list hold item? */
int stage_list_has(const char *list, const char *item);

#endif
