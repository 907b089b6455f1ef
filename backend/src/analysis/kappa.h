/* Agreement between two raters on an ordered scale of k levels (1..k): exact agreement,
 * agreement within one level, and weighted kappa with its large-sample standard error and
 * confidence interval. Pure arithmetic over a k×k table of counts; no I/O. The formulas and
 * their sources: kappa.c and docs/analysis.md. */
#ifndef VSOK_KAPPA_H
#define VSOK_KAPPA_H

#include <stddef.h>

/* The largest scale the tables hold (the quality scales use 5 levels, ECERS 7). */
#define KAPPA_MAX_LEVELS 7

typedef enum {
    KAPPA_UNWEIGHTED = 0, /* w = 1 on the diagonal, 0 elsewhere (Cohen 1960) */
    KAPPA_LINEAR,         /* w = 1 - |i-j|/(k-1) (Cicchetti & Allison 1971) */
    KAPPA_QUADRATIC,      /* w = 1 - (i-j)^2/(k-1)^2 (Fleiss & Cohen 1973) */
} kappa_weights;

/* counts[i][j]: how many items rater A put at level i+1 and rater B at level j+1. */
typedef struct {
    size_t k;
    double counts[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS];
} kappa_table;

typedef struct {
    double n;          /* items compared */
    double exact;      /* share of items with the same level, 0..1 */
    double within_one; /* share with levels at most one apart */
    double mean_diff;  /* mean of (B - A): positive when B scores higher */
    int defined;       /* 0 when kappa is undefined (no items, or chance agreement 1) */
    double kappa;
    double se;     /* standard error under non-null, Fleiss, Cohen & Everitt 1969 */
    double se0;    /* standard error when kappa is 0 (the same paper): for a test of kappa = 0 */
    double ci_low; /* kappa ± 1.96·se, clipped to [-1, 1] */
    double ci_high;
    double po, pe; /* weighted observed and chance agreement */
} kappa_result;

/* An empty table of k levels (2 ≤ k ≤ KAPPA_MAX_LEVELS): 0, or -1 for another k. */
int kappa_table_init(kappa_table *t, size_t k);

/* Adds one item rated a by rater A and b by rater B (levels 1..k): 0, or -1 when a level
 * lies outside the scale (the table is unchanged). */
int kappa_table_add(kappa_table *t, int a, int b);

/* Weighted kappa with an arbitrary agreement weight matrix w (w[i][i] = 1, 0 ≤ w ≤ 1):
 * 0, or -1 when the table or the weights are not valid. An empty table or one whose chance
 * agreement is 1 gives defined = 0 and still fills n, exact and within_one. */
int kappa_compute_w(const kappa_table *t, const double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS],
                    kappa_result *out);

/* The same with one of the named weightings. */
int kappa_compute(const kappa_table *t, kappa_weights weights, kappa_result *out);

#endif
