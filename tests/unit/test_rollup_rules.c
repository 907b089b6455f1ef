/* What the rollups count: the source of a sheet, which statuses count, the ancestors of a
 * path (and of a move), and the statements of a parent questionnaire response. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup_rules.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_counting),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_parent_statements),
        cmocka_unit_test(test_instrument_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
