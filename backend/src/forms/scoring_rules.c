/* The two level rules of DOMAIN.md and the one-decimal rounding. */
#include "forms/scoring.h"

#include <math.h>

/* Whether any item of the four levels (columns) applies: with none there is no level. */
static int any_applicable(const score_tally tally[4])
{
    for (int i = 0; i < 4; i++)
        if (tally[i].applicable)
            return 1;
    return 0;
}

int scoring_cumulative_level(const score_tally tally[4])
{
    if (!any_applicable(tally))
        return 0;
    /* Level k is reached when every applicable item of levels 2..k is met; a level with no
     * applicable item is passed. */
    int level = 1;
    for (int i = 0; i < 4; i++) {
        if (tally[i].met < tally[i].applicable)
            break;
        level = i + 2;
    }
    return level;
}

/* Whether at least half of the applicable items are yes (an empty column passes). */
static int half(const score_tally *t)
{
    return 2 * t->met >= t->applicable;
}

static int all(const score_tally *t)
{
    return t->met >= t->applicable;
}

int scoring_ecers_score(const score_tally tally[4])
{
    if (!any_applicable(tally))
        return 0;
    if (tally[0].met > 0) /* any column-1 indicator yes */
        return 1;
    /* Columns 3, 5, 7: at least half yes gives 2, 4, 6; all yes gives 3, 5, 7. */
    int score = 1;
    for (int i = 1; i < 4; i++) {
        if (!half(&tally[i]))
            return score;
        if (!all(&tally[i]))
            return score + 1;
        score += 2;
    }
    return score;
}

double scoring_round1(double x)
{
    double r = floor(fabs(x) * 10.0 + 0.5 + 1e-9) / 10.0;
    return x < 0 && r > 0 ? -r : r;
}
