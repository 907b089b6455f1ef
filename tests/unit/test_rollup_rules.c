/* What the rollups count: the source of a sheet, which statuses count, the ancestors of a
 * path (and of a move), the statements of a parent questionnaire response, and the values
 * of the result rollups (a sheet's exact values, a kindergarten's mean, the level a shown
 * score counts at). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboards/rollup_rules.h"
#include "dashboards/rollup_value.h"

static json_t *J(const char *text)
{
    char *s = strdup(text);
    assert_non_null(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    json_error_t err;
    json_t *v = json_loads(s, 0, &err);
    free(s);
    assert_non_null(v);
    return v;
}

static void test_source(void **state)
{
    (void)state;
    assert_string_equal(rollup_source("doo_coordinator", 0, "kindergarten"), "self");
    assert_string_equal(rollup_source("teacher", 0, "group"), "group");
    assert_string_equal(rollup_source("teacher", 42, "kindergarten"), "teacher");
    /* an expert's sheet is the expert's whatever its target */
    assert_string_equal(rollup_source("expert", 42, "kindergarten"), "expert");
    assert_string_equal(rollup_source("expert", 0, "group"), "expert");
}

static void test_counting(void **state)
{
    (void)state;
    assert_false(rollup_counts_results("draft", "doo_coordinator"));
    assert_false(rollup_counts_results("submitted", "doo_coordinator"));
    assert_false(rollup_counts_results("returned", "doo_coordinator"));
    assert_true(rollup_counts_results("approved", "doo_coordinator"));
    /* nobody reviews experts: their sheets count from submitted on */
    assert_true(rollup_counts_results("submitted", "expert"));
    assert_true(rollup_counts_results("approved", "expert"));
    assert_false(rollup_counts_results("returned", "expert"));
    assert_false(rollup_counts_results(NULL, "expert"));

    assert_false(rollup_counts_submitted("draft"));
    assert_true(rollup_counts_submitted("submitted"));
    assert_false(rollup_counts_submitted("returned"));
    assert_true(rollup_counts_submitted("approved"));
    assert_false(rollup_counts_approved("submitted"));
    assert_true(rollup_counts_approved("approved"));
}

static void test_paths(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    assert_string_equal(rollup_path_ids(&a, "/1/7/112/", 0), "[1,7,112]");
    assert_string_equal(rollup_path_ids(&a, "/1/7/112/", 1), "[1,7]");
    assert_string_equal(rollup_path_ids(&a, "/1/", 1), "[]");
    assert_null(rollup_path_ids(&a, "1/7/", 0));
    assert_null(rollup_path_ids(&a, "/1/x/", 0));
    assert_null(rollup_path_ids(&a, "/1/7", 0));
    assert_null(rollup_path_ids(&a, NULL, 0));

    /* a kindergarten moved from municipality 7 to 9 of region 1: 7 loses it, 9 gains it,
     * the region keeps it */
    assert_string_equal(rollup_path_diff(&a, "/1/7/112/", "/1/9/112/"), "[7]");
    assert_string_equal(rollup_path_diff(&a, "/1/9/112/", "/1/7/112/"), "[9]");
    /* to another region: every ancestor changes */
    assert_string_equal(rollup_path_diff(&a, "/1/7/112/", "/2/9/112/"), "[1,7]");
    assert_string_equal(rollup_path_diff(&a, "/1/7/112/", "/1/7/112/"), "[]");
    assert_null(rollup_path_diff(&a, "/1/7/112/", "bad"));
    arena_destroy(&a);
}

static const char *PARENTS =
    "{'code': 'P', 'version': 1, 'title': 'Анкета', 'respondents': ['parent'],"
    " 'targets': ['parent'], 'scoring': 'share_positive', 'sections': ["
    " {'code': 'P.1', 'title': 'Р1', 'indicators': [{'code': 'P.1.1', 'title': 'П', 'items': ["
    "  {'code': 'L1', 'type': 'likert5', 'text': 'а'},"
    "  {'code': 'L2', 'type': 'likert5', 'text': 'б'},"
    "  {'code': 'L3', 'type': 'likert5', 'text': 'в', 'na_allowed': true},"
    "  {'code': 'Y1', 'type': 'yes_no', 'text': 'ж'},"
    "  {'code': 'U1', 'type': 'yes_no_unsure', 'text': 'и'},"
    "  {'code': 'S1', 'type': 'single', 'text': 'л', 'options': [{'code': 'a', 'text': 'А'},"
    "   {'code': 'b', 'text': 'Б'}]},"
    "  {'code': 'C', 'type': 'longtext', 'text': 'Комментарий'}]}]}]}";

static const instrument *parse(arena *a, const char *text)
{
    form_errors errs;
    form_errors_init(&errs, a, 10);
    json_t *doc = J(text);
    const instrument *ins;
    int rc = instrument_parse(a, doc, &ins, &errs);
    json_decref(doc);
    for (size_t i = 0; i < errs.count; i++)
        fprintf(stderr, "  %s: %s\n", errs.items[i].where, errs.items[i].message);
    assert_int_equal(rc, 0);
    return ins;
}

static void test_instrument_sources(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const char *src[4];
    /* the parent questionnaire feeds no sheet rollup */
    assert_int_equal(rollup_instrument_sources(parse(&a, PARENTS), src), 0);
    /* a scale for kindergartens and groups, filled by coordinators, teachers and experts */
    const char *scale =
        "{'code': 'S', 'version': 1, 'title': 'Шкала', 'respondents': ['doo_coordinator',"
        " 'teacher', 'expert'], 'targets': ['kindergarten', 'group'], 'scoring': 'cumulative',"
        " 'sections': [{'code': 'S.1', 'title': 'О', 'indicators': [{'code': 'S.1.1', 'title':"
        " 'П', 'items': [{'code': 'S.1.1.2', 'type': 'check', 'level': 2, 'text': 'т'},"
        " {'code': 'S.1.1.3', 'type': 'check', 'level': 3, 'text': 'т'},"
        " {'code': 'S.1.1.4', 'type': 'check', 'level': 4, 'text': 'т'},"
        " {'code': 'S.1.1.5', 'type': 'check', 'level': 5, 'text': 'т'}]}]}]}";
    assert_int_equal(rollup_instrument_sources(parse(&a, scale), src), 3);
    assert_string_equal(src[0], "self");
    assert_string_equal(src[1], "group");
    assert_string_equal(src[2], "expert");
    arena_destroy(&a);
}

static void test_parent_statements(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    form_errors errs;
    form_errors_init(&errs, &a, 10);
    json_t *doc = J(PARENTS);
    const instrument *ins;
    assert_int_equal(instrument_parse(&a, doc, &ins, &errs), 0);
    json_decref(doc);
    /* L1 4 positive, L2 3 counted, L3 "na" not answered, Y1 bad value not answered,
     * U1 "unsure" counted; the single choice and the comment are no statements */
    json_t *answers = J("{'L1': 4, 'L2': 3, 'L3': 'na', 'Y1': 'maybe', 'U1': 'unsure', 'S1': 'a',"
                        " 'C': 'Спасибо'}");
    answer_set set;
    assert_int_equal(answers_check(&a, ins, answers, ANSWERS_DRAFT, &set, &errs), 1);
    json_decref(answers);
    parent_statement *st;
    assert_int_equal(rollup_parent_statements(&a, ins, &set, &st), 5);
    const char *codes[] = {"L1", "L2", "L3", "Y1", "U1"};
    int answered[] = {1, 1, 0, 0, 1}, positive[] = {1, 0, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(st[i].code, codes[i]);
        assert_int_equal(st[i].answered, answered[i]);
        assert_int_equal(st[i].positive, positive[i]);
    }
    assert_string_equal(rollup_parent_statements_json(&a, st, 5),
                        "[{\"code\":\"L1\",\"answered\":1,\"positive\":1},"
                        "{\"code\":\"L2\",\"answered\":1,\"positive\":0},"
                        "{\"code\":\"U1\",\"answered\":1,\"positive\":0}]");
    assert_string_equal(rollup_parent_statements_json(&a, st, 0), "[]");
    arena_destroy(&a);
}

static rollup_dec D(const char *text)
{
    rollup_dec v;
    assert_int_equal(rollup_dec_parse(text, &v), 0);
    return v;
}

static void test_decimals(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    assert_string_equal(rollup_dec_text(&a, D("2.5")), "2.50000000000000000000");
    assert_string_equal(rollup_dec_text(&a, D("-1.25")), "-1.25000000000000000000");
    assert_string_equal(rollup_dec_text(&a, D("7")), "7.00000000000000000000");
    rollup_dec v;
    assert_int_equal(rollup_dec_parse("1.000000000000000000001", &v), -1); /* 21 decimals */
    assert_int_equal(rollup_dec_parse("2,5", &v), -1);
    assert_int_equal(rollup_dec_parse("", &v), -1);
    assert_int_equal(rollup_dec_parse(NULL, &v), -1);
    /* exact fractions to 20 decimals, halves away from zero */
    assert_string_equal(rollup_dec_text(&a, rollup_dec_ratio(58, 27)), "2.14814814814814814815");
    assert_string_equal(rollup_dec_text(&a, rollup_dec_ratio(1, 3)), "0.33333333333333333333");
    assert_string_equal(rollup_dec_text(&a, rollup_dec_ratio(2, 3)), "0.66666666666666666667");
    /* 58/27 = 2.148 is shown 2.1, whatever a rounding to two decimals would say */
    assert_int_equal(rollup_dec_shown_tenths(rollup_dec_ratio(58, 27)), 21);
    arena_destroy(&a);
}

static void test_shown_level(void **state)
{
    (void)state;
    /* one decimal, halves up: 2.25 → 2.3 */
    assert_int_equal(rollup_dec_shown_tenths(D("2.25")), 23);
    assert_int_equal(rollup_dec_shown_tenths(D("2.2499")), 22);
    assert_int_equal(rollup_dec_shown_tenths(D("2.35")), 24);
    /* a mean kept to 20 decimals a hair below its exact half still counts as the half */
    assert_int_equal(rollup_dec_shown_tenths(D("2.24999999999999999990")), 23);
    assert_int_equal(rollup_dec_shown_tenths(D("2.24999999999999900000")), 22);
    /* the level is the shown score's whole part: 3.972 is shown 4.0, level 4 */
    assert_int_equal(rollup_dec_level(rollup_dec_ratio(143, 36)), 4);
    assert_int_equal(rollup_dec_level(D("3.95")), 4);
    assert_int_equal(rollup_dec_level(D("3.9499")), 3);
    assert_int_equal(rollup_dec_level(D("3.7")), 3);
    assert_int_equal(rollup_dec_level(D("5")), 5);
    assert_int_equal(rollup_level_of(143.0 / 36.0), 4);
    assert_int_equal(rollup_level_of(2.25), 2);
    assert_int_equal(rollup_level_of(1.96), 2);
    assert_int_equal(rollup_level_of(1.94), 1);
}

static void test_kindergarten_mean(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    /* the example: groups 4 and 11/3 in K1, 7/3 in K2 */
    rollup_dec k1 = rollup_dec_mean(D("4") + rollup_dec_ratio(11, 3), 2);
    rollup_dec k2 = rollup_dec_mean(rollup_dec_ratio(7, 3), 1);
    assert_string_equal(rollup_dec_text(&a, k1), "3.83333333333333333334");
    assert_int_equal(rollup_dec_level(k1), 3); /* 3.8 */
    rollup_dec m = rollup_dec_mean(k1 + k2, 2);
    assert_string_equal(rollup_dec_text(&a, m), "3.08333333333333333334");
    assert_int_equal(rollup_dec_shown_tenths(m), 31); /* 3,1 — not 3,3 (the mean of the sheets) */
    assert_int_equal(rollup_dec_shown_tenths(rollup_dec_mean(
                         D("4") + rollup_dec_ratio(11, 3) + rollup_dec_ratio(7, 3), 3)),
                     33);
    assert_string_equal(rollup_dec_text(&a, rollup_dec_mean(D("-3"), 2)),
                        "-1.50000000000000000000");
    arena_destroy(&a);
}

/* Two areas: S.1 of three indicators, S.2 of two. */
static const instrument *two_areas(arena *a)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "{'code': 'S', 'version': 1, 'title': 'Шкала', 'respondents':"
                                  " ['doo_coordinator'], 'targets': ['kindergarten'], 'scoring':"
                                  " 'cumulative', 'sections': [");
    const char *ind[2][3] = {{"S.1.1", "S.1.2", "S.1.3"}, {"S.2.1", "S.2.2", NULL}};
    for (int s = 0; s < 2; s++) {
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%s{'code': 'S.%d', 'title': 'О', 'indicators': [", s ? "," : "",
                                s + 1);
        for (int i = 0; i < 3 && ind[s][i]; i++)
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "%s{'code': '%s', 'title': 'П', 'items': [{'code': '%s.2',"
                                    " 'type': 'check', 'level': 2, 'text': 'т'}, {'code': '%s.3',"
                                    " 'type': 'check', 'level': 3, 'text': 'т'}, {'code': '%s.4',"
                                    " 'type': 'check', 'level': 4, 'text': 'т'}, {'code': '%s.5',"
                                    " 'type': 'check', 'level': 5, 'text': 'т'}]}",
                                    i ? "," : "", ind[s][i], ind[s][i], ind[s][i], ind[s][i],
                                    ind[s][i]);
        len += (size_t)snprintf(text + len, sizeof text - len, "]}");
    }
    snprintf(text + len, sizeof text - len, "]}");
    return parse(a, text);
}

static void test_sheet_values(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const instrument *ins = two_areas(&a);
    /* S.1: 4, 4, 3 → 11/3; S.2: 2 and n/a → 2; overall (11/3 + 2) / 2 = 17/6; a row of
     * another version's indicator counts nowhere */
    rollup_score_row rows[] = {{"S.2.1", 2, "2.000"},
                               {"S.1.3", 3, "3.000"},
                               {"S.1.1", 4, "4.000"},
                               {"S.1.2", 4, "4.000"},
                               {"S.9.9", 5, "5.000"}};
    rollup_value *v;
    assert_int_equal(rollup_sheet_values(&a, ins, rows, 5, &v), 7);
    const char *kinds[] = {"indicator", "indicator", "indicator", "indicator",
                           "section",   "section",   "overall"};
    const char *codes[] = {"S.1.1", "S.1.2", "S.1.3", "S.2.1", "S.1", "S.2", "S"};
    const char *values[] = {"4.00000000000000000000", "4.00000000000000000000",
                            "3.00000000000000000000", "2.00000000000000000000",
                            "3.66666666666666666667", "2.00000000000000000000",
                            "2.83333333333333333333"};
    int levels[] = {4, 4, 3, 2, 3, 2, 2};
    for (int i = 0; i < 7; i++) {
        assert_string_equal(v[i].kind, kinds[i]);
        assert_string_equal(v[i].code, codes[i]);
        assert_string_equal(rollup_dec_text(&a, v[i].value), values[i]);
        assert_int_equal(v[i].level, levels[i]);
    }
    /* the mean rule's indicators have no level: their value is the stored mean */
    rollup_score_row mean_rows[] = {{"S.1.1", 0, "2.500"}, {"S.2.2", 0, "4.250"}};
    assert_int_equal(rollup_sheet_values(&a, ins, mean_rows, 2, &v), 5);
    assert_string_equal(rollup_dec_text(&a, v[4].value), "3.37500000000000000000");
    assert_int_equal(v[4].level, 3); /* 3.4 */
    /* nothing scored: no value at all */
    assert_int_equal(rollup_sheet_values(&a, ins, rows, 0, &v), 0);
    /* a malformed score */
    rollup_score_row bad[] = {{"S.1.1", 0, "x"}};
    assert_int_equal(rollup_sheet_values(&a, ins, bad, 1, &v), -1);
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_counting),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_parent_statements),
        cmocka_unit_test(test_instrument_sources),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_shown_level),
        cmocka_unit_test(test_kindergarten_mean),
        cmocka_unit_test(test_sheet_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
