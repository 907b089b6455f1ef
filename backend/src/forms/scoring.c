/* Scoring one submission: indicators by the instrument's rule, then areas and overall. */
#include "forms/scoring.h"

#include <string.h>

/* Cumulative and ecers: the tally of the indicator's levels or columns. */
static void tally_item(const inst_item *it, const answer *ans, score_node *n)
{
    int slot = it->type == ITEM_CHECK ? it->level - 2 : (it->column - 1) / 2;
    if (slot < 0 || slot > 3 || ans->state == ANSWER_NA)
        return;
    n->tally[slot].applicable++;
    if (ans->state == ANSWER_GIVEN && ans->choice == ANSWER_YES)
        n->tally[slot].met++;
}

/* share_positive: likert 4 and 5 and "yes" are positive; every other given answer (likert
 * 1..3, "no", "unsure") counts in the denominator; "na" and blanks do not. */
static void count_positive(const inst_item *it, const answer *ans, score_node *n)
{
    if (ans->state != ANSWER_GIVEN)
        return;
    n->counted++;
    if (it->type == ITEM_LIKERT5 ? ans->choice >= 4 : ans->choice == ANSWER_YES)
        n->positive++;
}

/* mean: the likert value or the chosen option's score; nothing for "na", blanks and
 * options without a score. */
static void add_to_mean(const inst_item *it, const answer *ans, score_node *n)
{
    if (ans->state != ANSWER_GIVEN)
        return;
    if (it->type == ITEM_LIKERT5) {
        n->mean += ans->choice;
        n->n++;
    } else if (it->options[ans->choice].has_score) {
        n->mean += it->options[ans->choice].score;
        n->n++;
    }
}

static void set_share(score_node *n)
{
    n->scored = n->counted > 0;
    n->mean = n->scored ? (double)n->positive / (double)n->counted : 0;
    n->score = n->scored ? scoring_round1(100.0 * n->mean) : 0;
}

static void score_indicator(const instrument *ins, const inst_indicator *ind,
                            const answer_set *answers, score_node *n)
{
    for (size_t k = ind->first_item; k < ind->first_item + ind->n_items; k++) {
        const inst_item *it = &ins->items[k];
        if (!instrument_item_scored(ins->scoring, it))
            continue;
        const answer *ans = &answers->items[k];
        if (ins->scoring == RULE_CUMULATIVE || ins->scoring == RULE_ECERS)
            tally_item(it, ans, n);
        else if (ins->scoring == RULE_SHARE_POSITIVE)
            count_positive(it, ans, n);
        else
            add_to_mean(it, ans, n);
    }
    switch (ins->scoring) {
    case RULE_CUMULATIVE:
    case RULE_ECERS:
        n->level = ins->scoring == RULE_CUMULATIVE ? scoring_cumulative_level(n->tally)
                                                   : scoring_ecers_score(n->tally);
        n->scored = n->level > 0;
        n->mean = n->score = n->level;
        break;
    case RULE_SHARE_POSITIVE:
        set_share(n);
        break;
    case RULE_MEAN:
        n->scored = n->n > 0;
        n->mean = n->scored ? n->mean / (double)n->n : 0;
        n->score = scoring_round1(n->mean);
        break;
    default:
        break;
    }
}

/* An area or the overall score from its parts: the mean of the scored parts' exact means,
 * or (share_positive) the pooled share of their answers. */
static void roll_up(scoring_rule rule, const score_node *parts, size_t n_parts, score_node *out)
{
    double sum = 0;
    for (size_t i = 0; i < n_parts; i++) {
        out->positive += parts[i].positive;
        out->counted += parts[i].counted;
        if (parts[i].scored) {
            sum += parts[i].mean;
            out->n++;
        }
    }
    if (rule == RULE_NONE)
        return;
    if (rule == RULE_SHARE_POSITIVE) {
        set_share(out);
        return;
    }
    out->scored = out->n > 0;
    out->mean = out->scored ? sum / (double)out->n : 0;
    out->score = scoring_round1(out->mean);
}

int scoring_compute(arena *a, const instrument *ins, const answer_set *answers, score_result *out)
{
    memset(out, 0, sizeof *out);
    out->ins = ins;
    out->rule = ins->scoring;
    out->indicators = arena_alloc(a, (ins->n_indicators + 1) * sizeof *out->indicators);
    out->sections = arena_alloc(a, (ins->n_sections + 1) * sizeof *out->sections);
    if (!out->indicators || !out->sections)
        return -1;
    for (size_t i = 0; i < ins->n_indicators; i++)
        score_indicator(ins, &ins->indicators[i], answers, &out->indicators[i]);
    for (size_t s = 0; s < ins->n_sections; s++) {
        const inst_section *sec = &ins->sections[s];
        roll_up(ins->scoring, out->indicators + sec->first_indicator, sec->n_indicators,
                &out->sections[s]);
    }
    roll_up(ins->scoring, out->sections, ins->n_sections, &out->overall);
    return 0;
}
