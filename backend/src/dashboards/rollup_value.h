/* The values the result rollups hold (docs/api-dashboards.md, "How a figure is made"), as
 * pure functions shared by the incremental updates and the rebuild, so that both write the
 * same decimals:
 * - a sheet's values: an indicator's level, an area's mean of its indicators, the overall
 *   mean of the areas, each from the exact fraction (no rounding on the way);
 * - a kindergarten's value above it: the mean of its sheets' values;
 * - the level a value is counted at: the whole part of the score as shown (one decimal,
 *   halves up: 3.972 is shown 4.0 and counted at 4).
 * Values are fixed-point decimals with 20 digits after the point (what the rollup tables
 * store): sums and differences of them are exact in SQL and here. No I/O. */
#ifndef VSOK_ROLLUP_VALUE_H
#define VSOK_ROLLUP_VALUE_H

#include "core/arena.h"
#include "forms/instrument.h"

#include <stddef.h>

/* v / 10^20. */
typedef __int128 rollup_dec;

#define ROLLUP_DEC_DIGITS 20

/* A decimal text ("-12.5", "3", "2.14814814814814814815"; at most 20 decimals, up to 18
 * digits before the point) into *out: 0, or -1 when it is not one. */
int rollup_dec_parse(const char *s, rollup_dec *out);

/* The value as text with all 20 decimals, in a; NULL when out of memory. */
char *rollup_dec_text(arena *a, rollup_dec v);

/* num / den (den > 0) to 20 decimals, halves away from zero. */
rollup_dec rollup_dec_ratio(__int128 num, __int128 den);

/* The mean of a sum of n values (n > 0): sum / n to 20 decimals, halves away from zero. */
rollup_dec rollup_dec_mean(rollup_dec sum, long n);

/* The value shown with one decimal, halves up, as tenths (39 for 3.85 and for 3.9). A value
 * within 10^-16 below a half counts as the half: the stored decimals of a mean differ from
 * the exact fraction by less than 10^-19, while an exact fraction below a half lies at least
 * 1/(20·q) below it (q its denominator; above 10^-16 for every q under 5·10^14). */
long rollup_dec_shown_tenths(rollup_dec v);

/* The level the value counts at: the whole part of the shown score (3.972 → 4.0 → 4). */
int rollup_dec_level(rollup_dec v);

/* The same for a double (the dashboards' sums read back as doubles). */
int rollup_level_of(double v);
/* A double as shown, in tenths (-1 for a negative or non-finite value). */
long rollup_shown_tenths(double v);

/* One value of a sheet: kind "indicator", "section" or "overall", the code, the value and
 * the level it counts at. */
typedef struct {
    const char *kind, *code;
    rollup_dec value;
    int level;
} rollup_value;

/* One stored score row of an indicator (submission_scores): its code, its level (0 when
 * the rule gives none) and its score text (the mean rule's indicator value, 3 decimals). */
typedef struct {
    const char *code;
    int level;
    const char *score;
} rollup_score_row;

/* The values of one sheet of instrument ins from its indicator rows (any order; an
 * indicator without a row is n/a and left out): every indicator with a row, every area
 * with at least one, and the overall mean when an area has a value. *out in a; returns the
 * count, or -1 when out of memory or a row is malformed. */
long rollup_sheet_values(arena *a, const instrument *ins, const rollup_score_row *rows,
                         size_t n_rows, rollup_value **out);

#endif
