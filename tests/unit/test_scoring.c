/* The scoring engine: every branch of the cumulative and ecers rules on tallies, worked
 * examples through instruments and answers, area and overall means, rounding, the parent
 * satisfaction index, the mean rule and the stored JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/answers.h"
#include "core/arena.h"
#include "forms/instrument.h"
#include "forms/scoring.h"

static json_t *J(const char *text)
{
    char *s = strdup(text);
    assert_non_null(s);
    for (char *p = s; *p; p++) {
        if (*p == '\'')
            *p = '"';
    }
    json_error_t err;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &err);
    if (!v)
        fail_msg("fixture: %s at %d: %s", err.text, err.position, s);
    free(s);
    return v;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* ---------------------------------------------------------------- the cumulative rule */

/* Tallies for levels 2..5 as {met, applicable} pairs. */
static int cumulative(size_t m2, size_t a2, size_t m3, size_t a3, size_t m4, size_t a4, size_t m5,
                      size_t a5)
{
    score_tally t[4] = {{m2, a2}, {m3, a3}, {m4, a4}, {m5, a5}};
    return scoring_cumulative_level(t);
}

static void test_cumulative_levels(void **state)
{
    (void)state;
    /* Every item of every level met: 5. */
    assert_int_equal(cumulative(3, 3, 2, 2, 3, 3, 2, 2), 5);
    /* A level-2 item not met: 1, whatever the higher levels. */
    assert_int_equal(cumulative(2, 3, 2, 2, 3, 3, 2, 2), 1);
    assert_int_equal(cumulative(0, 2, 0, 2, 0, 2, 0, 2), 1);
    /* The highest level whose items, and those of every level below, are all met. */
    assert_int_equal(cumulative(3, 3, 1, 2, 3, 3, 2, 2), 2);
    assert_int_equal(cumulative(3, 3, 2, 2, 0, 3, 2, 2), 3);
    assert_int_equal(cumulative(3, 3, 2, 2, 3, 3, 1, 2), 4);
    /* Met items above a failed level do not count: level 3 fails, 4 and 5 are met. */
    assert_int_equal(cumulative(2, 2, 0, 1, 2, 2, 2, 2), 2);
}

static void test_cumulative_not_applicable(void **state)
{
    (void)state;
    /* n/a items are left out: 2 of 3 level-3 items met, the third n/a → level 3 passes. */
    assert_int_equal(cumulative(2, 2, 2, 2, 0, 1, 1, 1), 3);
    /* A level whose items are all n/a is passed. */
    assert_int_equal(cumulative(2, 2, 0, 0, 2, 2, 0, 1), 4);
    assert_int_equal(cumulative(2, 2, 2, 2, 2, 2, 0, 0), 5);
    assert_int_equal(cumulative(0, 0, 0, 1, 1, 1, 1, 1), 2);
    assert_int_equal(cumulative(0, 0, 0, 0, 0, 0, 1, 1), 5);
    /* Nothing applicable at all: not scored. */
    assert_int_equal(cumulative(0, 0, 0, 0, 0, 0, 0, 0), 0);
}

/* ---------------------------------------------------------------- the ecers rule */

/* Tallies for columns 1, 3, 5, 7 as {yes, applicable} pairs. */
static int ecers(size_t y1, size_t a1, size_t y3, size_t a3, size_t y5, size_t a5, size_t y7,
                 size_t a7)
{
    score_tally t[4] = {{y1, a1}, {y3, a3}, {y5, a5}, {y7, a7}};
    return scoring_ecers_score(t);
}

static void test_ecers_scores(void **state)
{
    (void)state;
    /* Any column-1 yes: 1, even when everything else is yes. */
    assert_int_equal(ecers(1, 3, 4, 4, 3, 3, 2, 2), 1);
    /* All column-1 no but fewer than half of column 3 yes: 1. */
    assert_int_equal(ecers(0, 3, 1, 4, 3, 3, 2, 2), 1);
    assert_int_equal(ecers(0, 2, 1, 3, 0, 3, 0, 2), 1);
    assert_int_equal(ecers(0, 2, 0, 1, 0, 3, 0, 2), 1);
    /* At least half of column 3 (exactly half, and more than half but not all): 2. */
    assert_int_equal(ecers(0, 3, 2, 4, 3, 3, 2, 2), 2);
    assert_int_equal(ecers(0, 3, 2, 3, 0, 3, 0, 2), 2);
    /* All of column 3: 3; then column 5 below half stays 3. */
    assert_int_equal(ecers(0, 3, 4, 4, 1, 3, 2, 2), 3);
    assert_int_equal(ecers(0, 3, 4, 4, 0, 3, 0, 2), 3);
    /* Additionally at least half of column 5 (exactly half): 4. */
    assert_int_equal(ecers(0, 3, 4, 4, 2, 4, 2, 2), 4);
    assert_int_equal(ecers(0, 3, 4, 4, 3, 4, 0, 2), 4);
    /* All of column 5: 5; column 7 below half stays 5. */
    assert_int_equal(ecers(0, 3, 4, 4, 4, 4, 0, 3), 5);
    assert_int_equal(ecers(0, 3, 4, 4, 4, 4, 1, 3), 5);
    /* Additionally at least half of column 7 (exactly half): 6. */
    assert_int_equal(ecers(0, 3, 4, 4, 4, 4, 1, 2), 6);
    assert_int_equal(ecers(0, 3, 4, 4, 4, 4, 2, 3), 6);
    /* All of column 7: 7. */
    assert_int_equal(ecers(0, 3, 4, 4, 4, 4, 3, 3), 7);
    /* Column 5 counts only once column 3 is complete. */
    assert_int_equal(ecers(0, 3, 3, 4, 4, 4, 3, 3), 2);
}

static void test_ecers_empty_columns(void **state)
{
    (void)state;
    /* No column-1 items (none written, or all n/a): the rule starts at column 3. */
    assert_int_equal(ecers(0, 0, 1, 3, 0, 2, 0, 2), 1);
    assert_int_equal(ecers(0, 0, 3, 3, 2, 2, 2, 2), 7);
    /* An empty column is complete: it passes both "at least half" and "all". */
    assert_int_equal(ecers(0, 2, 0, 0, 1, 2, 0, 2), 4);
    assert_int_equal(ecers(0, 2, 2, 2, 0, 0, 0, 1), 5);
    assert_int_equal(ecers(0, 2, 2, 2, 1, 1, 0, 0), 7);
    /* Nothing applicable: not scored. */
    assert_int_equal(ecers(0, 0, 0, 0, 0, 0, 0, 0), 0);
}

/* ---------------------------------------------------------------- rounding */

static void test_round1(void **state)
{
    (void)state;
    NEAR(scoring_round1(2.75), 2.8);
    NEAR(scoring_round1(2.25), 2.3);
    NEAR(scoring_round1(2.85), 2.9); /* 2.85 is 2.8499999999999996 in binary */
    NEAR(scoring_round1(0.15), 0.2);
    NEAR(scoring_round1(2.849), 2.8);
    NEAR(scoring_round1(8.0 / 3.0), 2.7);
    NEAR(scoring_round1(10.0 / 3.0), 3.3);
    NEAR(scoring_round1(200.0 / 3.0), 66.7);
    NEAR(scoring_round1(3.0), 3.0);
    NEAR(scoring_round1(87.5), 87.5);
    NEAR(scoring_round1(-2.25), -2.3);
    NEAR(scoring_round1(-0.04), 0.0);
    assert_false(signbit(scoring_round1(-0.04)));
}

/* ---------------------------------------------------------------- worked examples */

typedef struct {
    arena a;
    form_errors errs;
    const instrument *ins;
    answer_set set;
    score_result r;
} fixture;

static void score(fixture *f, const char *form, const char *answers, answers_mode mode)
{
    arena_init(&f->a, 4096);
    form_errors_init(&f->errs, &f->a, 100);
    json_t *doc = J(form);
    int rc = instrument_parse(&f->a, doc, &f->ins, &f->errs);
    json_decref(doc);
    for (size_t i = 0; i < f->errs.count; i++)
        fprintf(stderr, "  %s: %s\n", f->errs.items[i].where, f->errs.items[i].message);
    assert_int_equal(rc, 0);
    json_t *v = J(answers);
    rc = answers_check(&f->a, f->ins, v, mode, &f->set, &f->errs);
    json_decref(v);
    for (size_t i = 0; i < f->errs.count; i++)
        fprintf(stderr, "  %s: %s\n", f->errs.items[i].where, f->errs.items[i].message);
    assert_int_equal(rc, 0);
    assert_int_equal(scoring_compute(&f->a, f->ins, &f->set, &f->r), 0);
}

/* A cumulative indicator "code" of one item per level 2..5 (codes code.2 … code.5), the
 * level-3 item allowing n/a. */
static char *indicator(const char *code)
{
    static char buf[8][512];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, 512,
             "{'code': '%s', 'title': 'П', 'items': ["
             "{'code': '%s.2', 'type': 'check', 'level': 2, 'text': 'а', 'na_allowed': true},"
             "{'code': '%s.3', 'type': 'check', 'level': 3, 'text': 'б', 'na_allowed': true},"
             "{'code': '%s.4', 'type': 'check', 'level': 4, 'text': 'в', 'na_allowed': true},"
             "{'code': '%s.5', 'type': 'check', 'level': 5, 'text': 'г', 'na_allowed': true},"
             "{'code': '%s.note', 'type': 'longtext', 'text': 'Обоснование'}]}",
             code, code, code, code, code, code);
    return b;
}

static char *scale(const char *sections)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{'code': 'S', 'version': 1, 'title': 'Шкала', 'respondents': ['expert'],"
             " 'targets': ['kindergarten'], 'scoring': 'cumulative', 'sections': [%s]}",
             sections);
    return buf;
}

/* Answers giving an indicator with items .2 .. .5 the level wanted (1..5). */
static void level_answers(char *out, size_t len, const char *code, int level)
{
    size_t n = strlen(out);
    for (int k = 2; k <= 5; k++) {
        n += (size_t)snprintf(out + n, len - n, "%s'%s.%d': '%s'", n > 1 ? ", " : "", code, k,
                              k <= level ? "met" : "not_met");
    }
}

static void test_cumulative_worked_example(void **state)
{
    (void)state;
    char sections[6000];
    snprintf(sections, sizeof sections,
             "{'code': 'A', 'title': 'Область A', 'indicators': [%s, %s]},"
             "{'code': 'B', 'title': 'Область B', 'indicators': [%s, %s]}",
             indicator("A1"), indicator("A2"), indicator("B1"), indicator("B2"));
    /* A1 = 3 (level 4 item not met), A2 = 2 (level 3 item not met, 4 and 5 met),
     * B1 = 5 (level 3 n/a), B2: every item n/a, not scored. */
    const char *answers =
        "{'A1.2': 'met', 'A1.3': 'met', 'A1.4': 'not_met', 'A1.5': 'met',"
        " 'A2.2': 'met', 'A2.3': 'not_met', 'A2.4': 'met', 'A2.5': 'met',"
        " 'B1.2': 'met', 'B1.3': 'na', 'B1.4': 'met', 'B1.5': 'met',"
        " 'B2.2': 'na', 'B2.3': 'na', 'B2.4': 'na', 'B2.5': 'na', 'A1.note': 'Видели сами'}";
    fixture f;
    score(&f, scale(sections), answers, ANSWERS_SUBMIT);
    assert_int_equal(f.r.rule, RULE_CUMULATIVE);
    assert_int_equal(f.r.indicators[0].level, 3);
    assert_int_equal(f.r.indicators[1].level, 2);
    assert_int_equal(f.r.indicators[2].level, 5);
    assert_int_equal(f.r.indicators[2].tally[1].applicable, 0);
    assert_false(f.r.indicators[3].scored);
    assert_int_equal(f.r.indicators[3].level, 0);
    /* Area A = (3 + 2) / 2; area B = 5 (the unscored indicator is left out). */
    NEAR(f.r.sections[0].mean, 2.5);
    NEAR(f.r.sections[0].score, 2.5);
    assert_int_equal(f.r.sections[0].n, 2);
    NEAR(f.r.sections[1].mean, 5.0);
    assert_int_equal(f.r.sections[1].n, 1);
    /* Overall = mean of the areas (3.75), not of the indicators (3.33). */
    NEAR(f.r.overall.mean, 3.75);
    NEAR(f.r.overall.score, 3.8);
    assert_int_equal(f.r.overall.n, 2);
    arena_destroy(&f.a);
}

static void test_overall_from_exact_area_means(void **state)
{
    (void)state;
    const char *a[4] = {"A1", "A2", "A3", "A4"}, *b[4] = {"B1", "B2", "B3", "B4"};
    char sections[8000];
    snprintf(sections, sizeof sections,
             "{'code': 'A', 'title': 'A', 'indicators': [%s, %s, %s, %s]},", indicator(a[0]),
             indicator(a[1]), indicator(a[2]), indicator(a[3]));
    size_t n = strlen(sections);
    snprintf(sections + n, sizeof sections - n,
             "{'code': 'B', 'title': 'B', 'indicators': [%s, %s, %s, %s]}", indicator(b[0]),
             indicator(b[1]), indicator(b[2]), indicator(b[3]));
    /* A: 2, 2, 2, 3 → 2.25 (shown 2.3); B: 3, 3, 3, 2 → 2.75 (shown 2.8). */
    const int la[4] = {2, 2, 2, 3}, lb[4] = {3, 3, 3, 2};
    char answers[4000] = "{";
    for (int i = 0; i < 4; i++) {
        level_answers(answers, sizeof answers, a[i], la[i]);
        level_answers(answers, sizeof answers, b[i], lb[i]);
    }
    strcat(answers, "}");
    fixture f;
    score(&f, scale(sections), answers, ANSWERS_SUBMIT);
    NEAR(f.r.sections[0].mean, 2.25);
    NEAR(f.r.sections[0].score, 2.3);
    NEAR(f.r.sections[1].mean, 2.75);
    NEAR(f.r.sections[1].score, 2.8);
    /* (2.25 + 2.75) / 2 = 2.5; averaging the shown 2.3 and 2.8 would give 2.6. */
    NEAR(f.r.overall.mean, 2.5);
    NEAR(f.r.overall.score, 2.5);
    arena_destroy(&f.a);
}

static void test_cumulative_draft_missing_is_not_met(void **state)
{
    (void)state;
    char sections[2000];
    snprintf(sections, sizeof sections, "{'code': 'A', 'title': 'A', 'indicators': [%s]}",
             indicator("A1"));
    fixture f;
    /* Levels 2 and 3 met, level 4 not yet answered: the live level is 3. */
    score(&f, scale(sections), "{'A1.2': 'met', 'A1.3': 'met', 'A1.5': 'met'}", ANSWERS_DRAFT);
    assert_int_equal(f.r.indicators[0].level, 3);
    assert_int_equal(f.r.indicators[0].tally[2].applicable, 1);
    assert_int_equal(f.r.indicators[0].tally[2].met, 0);
    arena_destroy(&f.a);
    /* Nothing answered: level 1. */
    score(&f, scale(sections), "{}", ANSWERS_DRAFT);
    assert_int_equal(f.r.indicators[0].level, 1);
    NEAR(f.r.overall.score, 1.0);
    arena_destroy(&f.a);
}

static const char *ECERS =
    "{'code': 'E', 'version': 1, 'title': 'Шкала', 'respondents': ['expert'],"
    " 'targets': ['group'], 'scoring': 'ecers', 'sections': [{'code': 'E.1', 'title': 'Р',"
    " 'indicators': [{'code': 'E.1.1', 'title': 'П', 'items': ["
    "  {'code': 'a1', 'type': 'ecers', 'column': 1, 'text': 'а'},"
    "  {'code': 'a2', 'type': 'ecers', 'column': 1, 'text': 'а'},"
    "  {'code': 'b1', 'type': 'ecers', 'column': 3, 'text': 'б', 'na_allowed': true},"
    "  {'code': 'b2', 'type': 'ecers', 'column': 3, 'text': 'б'},"
    "  {'code': 'b3', 'type': 'ecers', 'column': 3, 'text': 'б'},"
    "  {'code': 'b4', 'type': 'ecers', 'column': 3, 'text': 'б'},"
    "  {'code': 'c1', 'type': 'ecers', 'column': 5, 'text': 'в', 'na_allowed': true},"
    "  {'code': 'c2', 'type': 'ecers', 'column': 5, 'text': 'в', 'na_allowed': true},"
    "  {'code': 'd1', 'type': 'ecers', 'column': 7, 'text': 'г'},"
    "  {'code': 'd2', 'type': 'ecers', 'column': 7, 'text': 'г'}]},"
    " {'code': 'E.1.2', 'title': 'П2', 'items': ["
    "  {'code': 'x3', 'type': 'ecers', 'column': 3, 'text': 'б'},"
    "  {'code': 'x5', 'type': 'ecers', 'column': 5, 'text': 'в'},"
    "  {'code': 'x7', 'type': 'ecers', 'column': 7, 'text': 'г'}]}]}]}";

static int ecers_first(const char *answers)
{
    fixture f;
    score(&f, ECERS, answers, ANSWERS_DRAFT);
    int level = f.r.indicators[0].level;
    arena_destroy(&f.a);
    return level;
}

static void test_ecers_worked_examples(void **state)
{
    (void)state;
    const char *no1 = "'a1': 'no', 'a2': 'no'";
    char buf[512];
#define E(rest) (snprintf(buf, sizeof buf, "{%s, %s}", no1, rest), ecers_first(buf))
    assert_int_equal(ecers_first("{'a1': 'no', 'a2': 'yes', 'b1': 'yes', 'b2': 'yes', 'b3': "
                                 "'yes', 'b4': 'yes'}"),
                     1);
    assert_int_equal(E("'b1': 'yes', 'b2': 'no', 'b3': 'no', 'b4': 'no'"), 1);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'no', 'b4': 'no'"), 2);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'no', "
                       "'c2': 'no'"),
                     3);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'yes', "
                       "'c2': 'no'"),
                     4);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'yes', "
                       "'c2': 'yes', 'd1': 'no', 'd2': 'no'"),
                     5);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'yes', "
                       "'c2': 'yes', 'd1': 'yes', 'd2': 'no'"),
                     6);
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'yes', "
                       "'c2': 'yes', 'd1': 'yes', 'd2': 'yes'"),
                     7);
    /* n/a: b1 left out, so 2 of the 3 others is more than half (without the n/a, 2 of 4
     * would be exactly half: 2 as well), and 3 of 3 is all. */
    assert_int_equal(E("'b1': 'na', 'b2': 'yes', 'b3': 'no', 'b4': 'yes'"), 2);
    assert_int_equal(E("'b1': 'na', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'no', "
                       "'c2': 'no'"),
                     3);
    /* Column 5 all n/a: passed, column 7 decides. */
    assert_int_equal(E("'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes', 'c1': 'na', "
                       "'c2': 'na', 'd1': 'yes', 'd2': 'no'"),
                     6);
    /* Unanswered items count as "no" (a draft): column 3 has 1 yes of 4. */
    assert_int_equal(E("'b1': 'yes'"), 1);
#undef E
}

static void test_ecers_area_and_overall(void **state)
{
    (void)state;
    fixture f;
    score(&f, ECERS,
          "{'a1': 'no', 'a2': 'no', 'b1': 'yes', 'b2': 'yes', 'b3': 'yes', 'b4': 'yes',"
          " 'c1': 'yes', 'c2': 'no', 'd1': 'no', 'd2': 'no', 'x3': 'yes', 'x5': 'yes',"
          " 'x7': 'yes'}",
          ANSWERS_SUBMIT);
    assert_int_equal(f.r.indicators[0].level, 4);
    assert_int_equal(f.r.indicators[1].level, 7);
    NEAR(f.r.sections[0].mean, 5.5);
    NEAR(f.r.overall.score, 5.5);
    assert_int_equal(f.r.indicators[0].tally[1].met, 4);
    assert_int_equal(f.r.indicators[0].tally[2].applicable, 2);
    arena_destroy(&f.a);
}

/* ---------------------------------------------------------------- share_positive */

static const char *PARENTS =
    "{'code': 'P', 'version': 1, 'title': 'Анкета', 'respondents': ['parent'],"
    " 'targets': ['parent'], 'scoring': 'share_positive', 'sections': ["
    " {'code': 'P.1', 'title': 'Р1', 'indicators': [{'code': 'P.1.1', 'title': 'П', 'items': ["
    "  {'code': 'L1', 'type': 'likert5', 'text': 'а'},"
    "  {'code': 'L2', 'type': 'likert5', 'text': 'б'},"
    "  {'code': 'L3', 'type': 'likert5', 'text': 'в'},"
    "  {'code': 'L4', 'type': 'likert5', 'text': 'г', 'na_allowed': true},"
    "  {'code': 'L5', 'type': 'likert5', 'text': 'д'},"
    "  {'code': 'L6', 'type': 'likert5', 'text': 'е'}]}]},"
    " {'code': 'P.2', 'title': 'Р2', 'indicators': [{'code': 'P.2.1', 'title': 'П', 'items': ["
    "  {'code': 'Y1', 'type': 'yes_no', 'text': 'ж'},"
    "  {'code': 'Y2', 'type': 'yes_no', 'text': 'з'},"
    "  {'code': 'U1', 'type': 'yes_no_unsure', 'text': 'и'},"
    "  {'code': 'U2', 'type': 'yes_no_unsure', 'text': 'к'},"
    "  {'code': 'S1', 'type': 'single', 'text': 'л', 'options': [{'code': 'a', 'text': 'А'},"
    "   {'code': 'b', 'text': 'Б'}]},"
    "  {'code': 'C', 'type': 'longtext', 'text': 'Комментарий'}]}]},"
    " {'code': 'P.3', 'title': 'Р3', 'indicators': [{'code': 'P.3.1', 'title': 'П', 'items': ["
    "  {'code': 'Z', 'type': 'yes_no', 'text': 'м'}]}]}]}";

static void test_share_positive(void **state)
{
    (void)state;
    fixture f;
    /* Likert 5 and 4 positive, 3, 2, 1 counted; "na" and blank (L6) left out; yes positive,
     * no and "hard to say" counted; single choices and comments do not count. */
    score(&f, PARENTS,
          "{'L1': 5, 'L2': 4, 'L3': 3, 'L4': 'na', 'L5': 1, 'Y1': 'yes', 'Y2': 'no',"
          " 'U1': 'unsure', 'U2': 'yes', 'S1': 'a', 'C': 'Спасибо'}",
          ANSWERS_DRAFT);
    const score_node *p1 = &f.r.sections[0], *p2 = &f.r.sections[1], *p3 = &f.r.sections[2];
    assert_int_equal(p1->positive, 2);
    assert_int_equal(p1->counted, 4);
    NEAR(p1->mean, 0.5);
    NEAR(p1->score, 50.0);
    assert_int_equal(p2->positive, 2);
    assert_int_equal(p2->counted, 4);
    /* Nothing counted in section 3: not scored. */
    assert_false(p3->scored);
    assert_int_equal(p3->counted, 0);
    /* The index pools the answers: 4 positive of 8. */
    assert_int_equal(f.r.overall.positive, 4);
    assert_int_equal(f.r.overall.counted, 8);
    NEAR(f.r.overall.mean, 0.5);
    NEAR(f.r.overall.score, 50.0);
    assert_int_equal(f.r.indicators[0].counted, 4);
    arena_destroy(&f.a);

    /* Pooling, not averaging sections: 1 of 1 and 1 of 3 is 2 of 4 = 50 %, not 66.7 %. */
    score(&f, PARENTS, "{'L1': 4, 'Y1': 'yes', 'Y2': 'no', 'U1': 'no'}", ANSWERS_DRAFT);
    NEAR(f.r.sections[0].score, 100.0);
    NEAR(f.r.sections[1].score, 33.3);
    NEAR(f.r.overall.score, 50.0);
    arena_destroy(&f.a);

    /* 2 of 3 → 66.7 %. */
    score(&f, PARENTS, "{'L1': 4, 'L2': 5, 'Z': 'no'}", ANSWERS_DRAFT);
    NEAR(f.r.overall.mean, 2.0 / 3.0);
    NEAR(f.r.overall.score, 66.7);
    arena_destroy(&f.a);

    /* No answer at all: no index. */
    score(&f, PARENTS, "{}", ANSWERS_DRAFT);
    assert_false(f.r.overall.scored);
    arena_destroy(&f.a);
}

/* ---------------------------------------------------------------- mean and none */

static const char *SHEET =
    "{'code': 'M', 'version': 1, 'title': 'Лист', 'respondents': ['teacher'],"
    " 'targets': ['teacher'], 'scoring': 'mean', 'sections': ["
    " {'code': 'M.1', 'title': 'Р1', 'indicators': ["
    "  {'code': 'M.1.1', 'title': 'П1', 'items': ["
    "   {'code': 'a', 'type': 'likert5', 'text': 'а', 'na_allowed': true},"
    "   {'code': 'b', 'type': 'likert5', 'text': 'б'},"
    "   {'code': 'c', 'type': 'single', 'text': 'в', 'options': ["
    "     {'code': 'lo', 'text': 'Мало', 'score': 1}, {'code': 'hi', 'text': 'Много', 'score': 4},"
    "     {'code': 'dk', 'text': 'Не знаю'}]},"
    "   {'code': 'd', 'type': 'text', 'text': 'г'}]},"
    "  {'code': 'M.1.2', 'title': 'П2', 'items': ["
    "   {'code': 'e', 'type': 'likert5', 'text': 'д'}]}]},"
    " {'code': 'M.2', 'title': 'Р2', 'indicators': ["
    "  {'code': 'M.2.1', 'title': 'П3', 'items': ["
    "   {'code': 'f', 'type': 'likert5', 'text': 'е'}]}]}]}";

static void test_mean_rule(void **state)
{
    (void)state;
    fixture f;
    /* M.1.1: (5 + 2 + 4) / 3; M.1.2: 3; M.2.1: not answered. */
    score(&f, SHEET, "{'a': 5, 'b': 2, 'c': 'hi', 'd': 'План'}", ANSWERS_DRAFT);
    NEAR(f.r.indicators[0].mean, 11.0 / 3.0);
    NEAR(f.r.indicators[0].score, 3.7);
    assert_int_equal(f.r.indicators[0].n, 3);
    assert_false(f.r.indicators[1].scored);
    NEAR(f.r.sections[0].mean, 11.0 / 3.0);
    assert_false(f.r.sections[1].scored);
    NEAR(f.r.overall.score, 3.7);
    arena_destroy(&f.a);
    /* An option without a score and "na" are left out. */
    score(&f, SHEET, "{'a': 'na', 'b': 2, 'c': 'dk', 'e': 3, 'f': 5}", ANSWERS_DRAFT);
    NEAR(f.r.indicators[0].mean, 2.0);
    assert_int_equal(f.r.indicators[0].n, 1);
    NEAR(f.r.sections[0].mean, 2.5);
    NEAR(f.r.sections[1].mean, 5.0);
    NEAR(f.r.overall.mean, 3.75);
    NEAR(f.r.overall.score, 3.8);
    arena_destroy(&f.a);
}

static void test_none_rule(void **state)
{
    (void)state;
    const char *form =
        "{'code': 'N', 'version': 1, 'title': 'Чек-лист', 'respondents': ['doo_coordinator'],"
        " 'targets': ['kindergarten'], 'scoring': 'none', 'sections': [{'code': 'N.1',"
        " 'title': 'Р', 'indicators': [{'code': 'N.1.1', 'title': 'П', 'items': ["
        "  {'code': 'q', 'type': 'likert5', 'text': 'а'}]}]}]}";
    fixture f;
    score(&f, form, "{'q': 5}", ANSWERS_SUBMIT);
    assert_false(f.r.indicators[0].scored);
    assert_false(f.r.sections[0].scored);
    assert_false(f.r.overall.scored);
    json_t *j = scoring_result_json(&f.r);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"indicators\":[{\"code\":\"N.1.1\"}],\"instrument\":{\"code\":"
                           "\"N\",\"version\":1},\"overall\":{},\"rule\":\"none\","
                           "\"sections\":[{\"code\":\"N.1\"}]}");
    free(s);
    json_decref(j);
    arena_destroy(&f.a);
}

/* ---------------------------------------------------------------- stored JSON */

static char *dump_sorted(const score_result *r)
{
    json_t *j = scoring_result_json(r);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
    json_decref(j);
    assert_non_null(s);
    return s;
}

static void test_json_cumulative(void **state)
{
    (void)state;
    char sections[2000];
    snprintf(sections, sizeof sections, "{'code': 'A', 'title': 'A', 'indicators': [%s, %s]}",
             indicator("A1"), indicator("A2"));
    fixture f;
    score(&f, scale(sections),
          "{'A1.2': 'met', 'A1.3': 'na', 'A1.4': 'not_met', 'A1.5': 'met',"
          " 'A2.2': 'na', 'A2.3': 'na', 'A2.4': 'na', 'A2.5': 'na'}",
          ANSWERS_SUBMIT);
    char *s = dump_sorted(&f.r);
    assert_string_equal(
        s, "{\"indicators\":[{\"code\":\"A1\",\"level\":3,\"levels\":["
           "{\"applicable\":1,\"level\":2,\"met\":1},{\"applicable\":0,\"level\":3,\"met\":0},"
           "{\"applicable\":1,\"level\":4,\"met\":0},{\"applicable\":1,\"level\":5,\"met\":1}]},"
           "{\"code\":\"A2\",\"level\":null,\"levels\":["
           "{\"applicable\":0,\"level\":2,\"met\":0},{\"applicable\":0,\"level\":3,\"met\":0},"
           "{\"applicable\":0,\"level\":4,\"met\":0},{\"applicable\":0,\"level\":5,\"met\":0}]}"
           "],\"instrument\":{\"code\":\"S\",\"version\":1},"
           "\"overall\":{\"mean\":3.0,\"score\":3.0,\"sections\":1},\"rule\":\"cumulative\","
           "\"sections\":[{\"code\":\"A\",\"indicators\":1,\"mean\":3.0,\"score\":3.0}]}");
    free(s);
    arena_destroy(&f.a);
}

static void test_json_other_rules(void **state)
{
    (void)state;
    fixture f;
    score(&f, ECERS,
          "{'a1': 'no', 'a2': 'no', 'b1': 'yes', 'b2': 'yes', 'b3': 'no', 'b4': 'no',"
          " 'x3': 'na', 'x5': 'na', 'x7': 'na'}",
          ANSWERS_DRAFT);
    char *s = dump_sorted(&f.r);
    assert_non_null(strstr(s, "{\"code\":\"E.1.1\",\"columns\":[{\"applicable\":2,\"column\":1,"
                              "\"yes\":0},{\"applicable\":4,\"column\":3,\"yes\":2},"
                              "{\"applicable\":2,\"column\":5,\"yes\":0},"
                              "{\"applicable\":2,\"column\":7,\"yes\":0}],\"level\":2}"));
    assert_non_null(strstr(s, "\"rule\":\"ecers\""));
    assert_non_null(strstr(s, "{\"code\":\"E.1.2\",\"columns\":"));
    assert_non_null(strstr(s, "\"overall\":{\"mean\":2.0,\"score\":2.0,\"sections\":1}"));
    free(s);
    arena_destroy(&f.a);

    score(&f, PARENTS, "{'L1': 4, 'L2': 5, 'Z': 'no'}", ANSWERS_DRAFT);
    s = dump_sorted(&f.r);
    assert_non_null(strstr(s, "\"overall\":{\"counted\":3,\"percent\":66.7,\"positive\":2,"
                              "\"share\":0.6666666667}"));
    assert_non_null(strstr(s, "{\"code\":\"P.2\",\"counted\":0,\"percent\":null,"
                              "\"positive\":0,\"share\":null}"));
    assert_non_null(strstr(s, "\"rule\":\"share_positive\""));
    free(s);
    arena_destroy(&f.a);

    score(&f, SHEET, "{'a': 5, 'b': 2}", ANSWERS_DRAFT);
    s = dump_sorted(&f.r);
    assert_non_null(strstr(s, "{\"answers\":2,\"code\":\"M.1.1\",\"mean\":3.5,\"score\":3.5}"));
    assert_non_null(strstr(s, "{\"answers\":0,\"code\":\"M.1.2\",\"mean\":null,\"score\":null}"));
    assert_non_null(strstr(s, "{\"code\":\"M.2\",\"indicators\":0,\"mean\":null,\"score\":null}"));
    free(s);
    arena_destroy(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cumulative_levels),
        cmocka_unit_test(test_cumulative_not_applicable),
        cmocka_unit_test(test_ecers_scores),
        cmocka_unit_test(test_ecers_empty_columns),
        cmocka_unit_test(test_round1),
        cmocka_unit_test(test_cumulative_worked_example),
        cmocka_unit_test(test_overall_from_exact_area_means),
        cmocka_unit_test(test_cumulative_draft_missing_is_not_met),
        cmocka_unit_test(test_ecers_worked_examples),
        cmocka_unit_test(test_ecers_area_and_overall),
        cmocka_unit_test(test_share_positive),
        cmocka_unit_test(test_mean_rule),
        cmocka_unit_test(test_none_rule),
        cmocka_unit_test(test_json_cumulative),
        cmocka_unit_test(test_json_other_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
