/* The scoring engine: levels of indicators, scores of areas (sections) and the overall
 * score of one submission, by the instrument's rule (docs/instruments.md, "Scoring"). Pure:
 * no I/O. The server scores a submission when it is submitted; the client never sends a
 * score. */
#ifndef VSOK_SCORING_H
#define VSOK_SCORING_H

#include "forms/answers.h"
#include "core/arena.h"
#include "forms/instrument.h"

#include <jansson.h>
#include <stddef.h>

/* Items of one level (cumulative) or column (ecers) of an indicator: how many are applicable
 * (answered or not, but not "na") and how many of those are met (cumulative) or "yes"
 * (ecers). */
typedef struct {
    size_t met;
    size_t applicable;
} score_tally;

/* The cumulative rule; tally[0..3] are levels 2..5. Returns the level 1..5, or 0 when no item
 * of any level is applicable (the indicator is then not scored). */
int scoring_cumulative_level(const score_tally tally[4]);

/* The ecers rule; tally[0..3] are columns 1, 3, 5, 7 (met = "yes"). Returns the score 1..7,
 * or 0 when no item of any column is applicable. */
int scoring_ecers_score(const score_tally tally[4]);

/* x rounded to one decimal, halves away from zero (2.25 → 2.3, 2.75 → 2.8); a value within
 * 1e-9 of a half counts as the half, so binary fractions do not turn 2.85 into 2.8. */
double scoring_round1(double x);

/* The score of one indicator, section (area) or the whole submission. */
typedef struct {
    int scored;   /* 0: nothing to score (all "na", nothing answered, rule none) */
    int level;    /* indicators under cumulative (1..5) and ecers (1..7); otherwise 0 */
    double mean;  /* exact value: the level; the mean of levels, answers or areas; the share
                     of positive answers (0..1) under share_positive */
    double score; /* mean to one decimal (scoring_round1); share_positive: percent 0..100 */
    size_t n;     /* what was averaged: indicators: scored answers (mean rule); sections:
                     scored indicators; overall: scored sections */
    size_t positive, counted; /* share_positive */
    score_tally tally[4];     /* indicators: levels 2..5 or columns 1, 3, 5, 7 */
} score_node;

typedef struct {
    const instrument *ins;
    scoring_rule rule;
    score_node *indicators; /* ins->n_indicators, in instrument order */
    score_node *sections;   /* ins->n_sections */
    score_node overall;
} score_result;

/* Scores answers (checked with answers_check against the same instrument). An answer that
 * is missing counts as "not met" (cumulative) or "no" (ecers) and is left out elsewhere;
 * submit-mode checking guarantees every check and ecers item is answered. Returns 0, or -1
 * when out of memory. */
int scoring_compute(arena *a, const instrument *ins, const answer_set *answers, score_result *out);

/* The result as a JSON object for storage (shape in docs/instruments.md); a new reference,
 * or NULL when out of memory. */
json_t *scoring_result_json(const score_result *r);

#endif
