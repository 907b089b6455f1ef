/* Answer validation against a parsed instrument: value shapes of every item type, draft
 * and submit modes, one error per field with the item code, typed values for scoring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/answers.h"
#include "core/arena.h"
#include "forms/instrument.h"

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

/* One item of each type (check items need the cumulative rule, and under it every indicator
 * has check items of levels 2..5). */
static const char *FORM =
    "{'code': 'F', 'version': 3, 'title': 'Форма', 'respondents': ['teacher'],"
    " 'targets': ['teacher'], 'scoring': 'cumulative', 'sections': ["
    " {'code': 'F.1', 'title': 'Раздел', 'indicators': [{'code': 'F.1.1', 'title': 'П', 'items': ["
    "  {'code': 'C2', 'type': 'check', 'level': 2, 'text': 'а', 'na_allowed': true},"
    "  {'code': 'C3', 'type': 'check', 'level': 3, 'text': 'б'},"
    "  {'code': 'C4', 'type': 'check', 'level': 4, 'text': 'в'},"
    "  {'code': 'C5', 'type': 'check', 'level': 5, 'text': 'г'},"
    "  {'code': 'YN', 'type': 'yes_no', 'text': 'Да или нет', 'required': true},"
    "  {'code': 'YNU', 'type': 'yes_no_unsure', 'text': 'Да, нет, не знаю', 'na_allowed': true},"
    "  {'code': 'S', 'type': 'single', 'text': 'Один', 'required': true, 'options': ["
    "    {'code': 'a', 'text': 'А'}, {'code': 'b', 'text': 'Б'}]},"
    "  {'code': 'M', 'type': 'multi', 'text': 'Несколько', 'min_choices': 2, 'max_choices': 3,"
    "   'options': [{'code': 'a', 'text': 'А'}, {'code': 'b', 'text': 'Б'},"
    "    {'code': 'c', 'text': 'В'}, {'code': 'd', 'text': 'Г'}]},"
    "  {'code': 'L', 'type': 'likert5', 'text': 'Согласие', 'required': true, 'na_allowed': true},"
    "  {'code': 'N', 'type': 'number', 'text': 'Дети', 'required': true, 'integer': true,"
    "   'min': 0, 'max': 30},"
    "  {'code': 'R', 'type': 'number', 'text': 'Доля', 'min': -1.5},"
    "  {'code': 'T', 'type': 'text', 'text': 'Коротко', 'required': true, 'max_length': 10},"
    "  {'code': 'LT', 'type': 'longtext', 'text': 'Подробно'},"
    "  {'code': 'D', 'type': 'date', 'text': 'Дата'},"
    "  {'code': 'E', 'type': 'evidence', 'text': 'Фото', 'max_files': 2}]}]}]}";

static const char *FULL =
    "{'C2': 'met', 'C3': 'not_met', 'C4': 'met', 'C5': 'met', 'YN': 'no', 'YNU': 'unsure',"
    " 'S': 'b', 'M': ['c', 'a'], 'L': 4, 'N': 25, 'R': -1.5, 'T': 'Привет мир', 'LT': 'Текст',"
    " 'D': '2024-02-29', 'E': [17, 3]}";

typedef struct {
    arena a;
    form_errors errs;
    const instrument *ins;
    answer_set set;
    int rc;
} fixture;

static void dump(const fixture *f)
{
    for (size_t i = 0; i < f->errs.count; i++)
        fprintf(stderr, "  %s: %s\n", f->errs.items[i].where, f->errs.items[i].message);
}

static void setup(fixture *f, const char *form)
{
    arena_init(&f->a, 4096);
    form_errors_init(&f->errs, &f->a, ANSWERS_MAX_ERRORS);
    json_t *doc = J(form);
    int rc = instrument_parse(&f->a, doc, &f->ins, &f->errs);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    json_decref(doc);
}

/* Checks answers (JSON text) in a mode; the error list is reset first. */
static int check(fixture *f, const char *answers, answers_mode mode)
{
    form_errors_init(&f->errs, &f->a, ANSWERS_MAX_ERRORS);
    json_t *v = J(answers);
    f->rc = answers_check(&f->a, f->ins, v, mode, &f->set, &f->errs);
    json_decref(v);
    return f->rc;
}

/* Asserts the errors, in order: "CODE=part" entries, NULL-terminated. */
static void expect_errors(const fixture *f, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (f->errs.count != n)
        dump(f);
    assert_int_equal(f->errs.count, n);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(want[i], '=');
        size_t len = (size_t)(eq - want[i]);
        if (strlen(f->errs.items[i].where) != len ||
            strncmp(f->errs.items[i].where, want[i], len) != 0 ||
            !strstr(f->errs.items[i].message, eq + 1)) {
            dump(f);
            fail_msg("error %zu: want %s", i, want[i]);
        }
    }
}

static const answer *get(const fixture *f, const char *code)
{
    const answer *a = answers_get(&f->set, code);
    assert_non_null(a);
    return a;
}

static void test_draft_empty_is_valid(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    assert_int_equal(check(&f, "{}", ANSWERS_DRAFT), 0);
    assert_int_equal(f.errs.count, 0);
    for (size_t i = 0; i < f.ins->n_items; i++)
        assert_int_equal(f.set.items[i].state, ANSWER_NONE);
    assert_false(answers_is_answered(get(&f, "C2")));
    assert_null(answers_get(&f.set, "F.1.1"));
    answers_progress p;
    answers_count(&f.set, &p);
    assert_int_equal(p.answered, 0);
    assert_int_equal(p.required, 9); /* four check items, YN, S, L, N, T */
    assert_int_equal(p.required_answered, 0);
    assert_int_equal(check(&f, "{'C2': 'na', 'C3': 'met', 'R': 1, 'T': ' '}", ANSWERS_DRAFT), 0);
    answers_count(&f.set, &p);
    assert_int_equal(p.answered, 3);
    assert_int_equal(p.required_answered, 2);
    arena_destroy(&f.a);
}

static void test_full_set_typed_values(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    for (int mode = ANSWERS_DRAFT; mode <= ANSWERS_SUBMIT; mode++) {
        if (check(&f, FULL, (answers_mode)mode) != 0)
            dump(&f);
        assert_int_equal(f.rc, 0);
    }
    assert_int_equal(get(&f, "C2")->choice, ANSWER_YES);
    assert_int_equal(get(&f, "C3")->choice, ANSWER_NO);
    assert_int_equal(get(&f, "YN")->choice, ANSWER_NO);
    assert_int_equal(get(&f, "YNU")->choice, ANSWER_UNSURE);
    assert_int_equal(get(&f, "S")->choice, 1);
    const answer *m = get(&f, "M");
    assert_int_equal(m->count, 2);
    assert_int_equal(m->chosen[0], 2);
    assert_int_equal(m->chosen[1], 0);
    assert_int_equal(get(&f, "L")->choice, 4);
    assert_true(get(&f, "N")->number == 25);
    assert_true(get(&f, "R")->number == -1.5);
    assert_string_equal(get(&f, "T")->text, "Привет мир");
    assert_string_equal(get(&f, "D")->text, "2024-02-29");
    const answer *e = get(&f, "E");
    assert_int_equal(e->count, 2);
    assert_int_equal(e->files[0], 17);
    assert_int_equal(e->files[1], 3);
    for (size_t i = 0; i < f.ins->n_items; i++)
        assert_int_equal(f.set.items[i].state, ANSWER_GIVEN);
    arena_destroy(&f.a);
}

static void test_bad_shapes_one_error_per_field(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    check(&f,
          "{'zzz': 1, 'C2': 'yes', 'C3': true, 'YN': 'unsure', 'YNU': 'maybe', 'S': 'c',"
          " 'M': 'a', 'L': 6, 'N': 2.5, 'R': '1', 'T': 12, 'LT': ['x'], 'D': '2025-02-29',"
          " 'E': [1, 'x'], 'F.1.1': 'met'}",
          ANSWERS_DRAFT);
    assert_int_equal(f.rc, 1);
    static const char *const want[] = {"C2=«met» (выполнено) или «not_met»",
                                       "C3=«met»",
                                       "YN=ожидается «yes» или «no»",
                                       "YNU=«unsure» (затрудняюсь ответить) или «na»",
                                       "S=нет такого варианта: «c»",
                                       "M=массив кодов вариантов",
                                       "L=от 1 до 5",
                                       "N=целое число",
                                       "R=ожидается число",
                                       "T=ожидается строка",
                                       "LT=ожидается строка",
                                       "D=такой даты нет",
                                       "E=идентификаторов файлов",
                                       "zzz=нет такого пункта",
                                       "F.1.1=нет такого пункта",
                                       NULL};
    expect_errors(&f, want);
    /* Bad values are left out of the set. */
    assert_int_equal(get(&f, "C2")->state, ANSWER_NONE);
    assert_int_equal(get(&f, "C5")->state, ANSWER_NONE);
    arena_destroy(&f.a);
}

static void test_submit_requires_answers(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    check(&f, "{'C2': 'met', 'C4': null, 'T': '   ', 'M': [], 'E': [], 'D': '', 'LT': ''}",
          ANSWERS_SUBMIT);
    assert_int_equal(f.rc, 1);
    /* Check items are always required; null, blank text and [] are no answer. */
    static const char *const want[] = {"C3=нужен ответ", "C4=нужен ответ", "C5=нужен ответ",
                                       "YN=нужен ответ", "S=нужен ответ",  "L=нужен ответ",
                                       "N=нужен ответ",  "T=нужен ответ",  NULL};
    expect_errors(&f, want);
    assert_int_equal(get(&f, "M")->state, ANSWER_NONE);
    assert_int_equal(get(&f, "D")->state, ANSWER_NONE);
    /* The same answers are a fine draft. */
    assert_int_equal(
        check(&f, "{'C2': 'met', 'C4': null, 'T': '   ', 'M': [], 'E': []}", ANSWERS_DRAFT), 0);
    arena_destroy(&f.a);
}

static void test_na_only_where_allowed_on_submit(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    const char *answers = "{'C2': 'na', 'C3': 'na', 'C4': 'met', 'C5': 'met', 'YN': 'na',"
                          " 'YNU': 'na', 'S': 'na', 'M': 'na', 'L': 'na', 'N': 'na', 'R': 'na',"
                          " 'T': 'na', 'D': 'na'}";
    /* A draft keeps "na" anywhere it can be an answer. */
    assert_int_equal(check(&f, answers, ANSWERS_DRAFT), 0);
    assert_int_equal(get(&f, "C3")->state, ANSWER_NA);
    assert_int_equal(get(&f, "M")->state, ANSWER_NA);
    /* "na" is an ordinary text in a text item. */
    assert_int_equal(get(&f, "T")->state, ANSWER_GIVEN);
    assert_string_equal(get(&f, "T")->text, "na");
    assert_true(answers_is_answered(get(&f, "C2")));

    check(&f, answers, ANSWERS_SUBMIT);
    static const char *const want[] = {"C3=«не применимо» для этого пункта не предусмотрен",
                                       "YN=не предусмотрен",
                                       "S=не предусмотрен",
                                       "M=не предусмотрен",
                                       "N=не предусмотрен",
                                       "R=не предусмотрен",
                                       "D=не предусмотрен",
                                       NULL};
    expect_errors(&f, want);
    assert_int_equal(get(&f, "C2")->state, ANSWER_NA);
    assert_int_equal(get(&f, "L")->state, ANSWER_NA);
    assert_int_equal(get(&f, "YNU")->state, ANSWER_NA);
    /* Evidence never takes "na". */
    check(&f, "{'E': 'na'}", ANSWERS_DRAFT);
    static const char *const ev[] = {"E=идентификаторов файлов", NULL};
    expect_errors(&f, ev);
    arena_destroy(&f.a);
}

static void test_dates(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    const char *good[] = {"'2024-02-29'", "'2000-02-29'", "'2025-12-31'", "'1999-01-01'"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "{'D': %s}", good[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 0);
    }
    const char *no_day[] = {"'2025-02-29'", "'1900-02-29'", "'2025-13-01'",
                            "'2025-04-31'", "'2025-00-10'", "'2025-01-00'"};
    for (size_t i = 0; i < sizeof no_day / sizeof no_day[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "{'D': %s}", no_day[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
        static const char *const want[] = {"D=такой даты нет в календаре", NULL};
        expect_errors(&f, want);
    }
    const char *shape[] = {"'2025-1-01'",  "'01.02.2025'", "'2025-01-01T00:00'", "20250101",
                           "'2025/01/01'", "'0999-01-01'", "' 2025-01-01'"};
    for (size_t i = 0; i < sizeof shape / sizeof shape[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "{'D': %s}", shape[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
        static const char *const want[] = {"D=в формате ГГГГ-ММ-ДД", NULL};
        expect_errors(&f, want);
    }
    arena_destroy(&f.a);
}

static void test_numbers(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    assert_int_equal(check(&f, "{'N': 0, 'R': 1e6}", ANSWERS_DRAFT), 0);
    assert_int_equal(check(&f, "{'N': 30.0, 'R': -1.5}", ANSWERS_DRAFT), 0);
    assert_true(get(&f, "N")->number == 30);
    check(&f, "{'N': 31, 'R': -1.6}", ANSWERS_DRAFT);
    static const char *const range[] = {"N=не больше 30", "R=не меньше -1.5", NULL};
    expect_errors(&f, range);
    check(&f, "{'N': -1, 'R': true}", ANSWERS_DRAFT);
    static const char *const more[] = {"N=не меньше 0", "R=ожидается число", NULL};
    expect_errors(&f, more);
    check(&f, "{'N': '5'}", ANSWERS_DRAFT);
    static const char *const str[] = {"N=ожидается целое число", NULL};
    expect_errors(&f, str);
    arena_destroy(&f.a);
}

static void test_likert(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    for (int v = 1; v <= 5; v++) {
        char buf[32];
        snprintf(buf, sizeof buf, "{'L': %d}", v);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 0);
        assert_int_equal(get(&f, "L")->choice, v);
    }
    const char *bad[] = {"0", "6", "3.0", "'3'", "[3]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "{'L': %s}", bad[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
        static const char *const want[] = {"L=ожидается целое число от 1 до 5", NULL};
        expect_errors(&f, want);
    }
    arena_destroy(&f.a);
}

static void test_multi(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    /* Fewer than min_choices is a fine draft, not a submission. */
    assert_int_equal(check(&f, "{'M': ['a']}", ANSWERS_DRAFT), 0);
    check(&f,
          "{'C2': 'met', 'C3': 'met', 'C4': 'met', 'C5': 'met', 'YN': 'yes', 'S': 'a',"
          " 'L': 1, 'N': 1, 'T': 'т', 'M': ['a']}",
          ANSWERS_SUBMIT);
    static const char *const few[] = {"M=выберите не меньше 2", NULL};
    expect_errors(&f, few);
    const char *bad[] = {"['a', 'a']", "['a', 'z']", "['a', 'b', 'c', 'd']",
                         "['a', 'b', 'c', 'd', 'a']", "['a', 1]"};
    const char *msg[] = {"вариант «a» выбран дважды", "нет такого варианта: «z»",
                         "выберите не больше 3", "больше вариантов, чем есть",
                         "массив кодов вариантов"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "{'M': %s}", bad[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
        assert_int_equal(f.errs.count, 1);
        assert_string_equal(f.errs.items[0].where, "M");
        if (!strstr(f.errs.items[0].message, msg[i]))
            fail_msg("%s: %s", bad[i], f.errs.items[0].message);
    }
    arena_destroy(&f.a);
}

static void test_text_length_in_characters(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    /* Ten Cyrillic letters are twenty bytes but ten characters. */
    assert_int_equal(check(&f, "{'T': 'абвгдеёжзи'}", ANSWERS_DRAFT), 0);
    check(&f, "{'T': 'абвгдеёжзий'}", ANSWERS_DRAFT);
    static const char *const want[] = {"T=не длиннее 10 символов (сейчас 11)", NULL};
    expect_errors(&f, want);
    json_t *v = json_object();
    json_object_set_new(v, "T", json_stringn("а\0б", 5));
    form_errors_init(&f.errs, &f.a, 10);
    assert_int_equal(answers_check(&f.a, f.ins, v, ANSWERS_DRAFT, &f.set, &f.errs), 1);
    json_decref(v);
    static const char *const nul[] = {"T=символ NUL", NULL};
    expect_errors(&f, nul);
    arena_destroy(&f.a);
}

static void test_evidence_files(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    assert_int_equal(check(&f, "{'E': [5]}", ANSWERS_DRAFT), 0);
    const char *bad[] = {"[1, 2, 3]", "[0]", "[4, 4]", "[1.5]", "{'id': 1}"};
    const char *msg[] = {"не больше 2 файлов", "целые числа больше 0", "файл 4 указан дважды",
                         "целые числа больше 0", "ожидается массив идентификаторов"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "{'E': %s}", bad[i]);
        assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
        assert_int_equal(f.errs.count, 1);
        if (!strstr(f.errs.items[0].message, msg[i]))
            fail_msg("%s: %s", bad[i], f.errs.items[0].message);
    }
    arena_destroy(&f.a);
}

/* A quoted option code is cut at 80 bytes on a character boundary (the message stays UTF-8). */
static void test_long_bad_option_quoted_whole_characters(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    char buf[512] = "{'S': '";
    for (int i = 0; i < 100; i++)
        strcat(buf, "я");
    strcat(buf, "'}");
    assert_int_equal(check(&f, buf, ANSWERS_DRAFT), 1);
    char want[256] = "нет такого варианта: «";
    for (int i = 0; i < 40; i++)
        strcat(want, "я");
    strcat(want, "»");
    assert_string_equal(f.errs.items[0].message, want);
    json_t *s = json_string(f.errs.items[0].message);
    assert_non_null(s);
    json_decref(s);
    arena_destroy(&f.a);
}

static void test_not_an_object(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    assert_int_equal(check(&f, "[]", ANSWERS_DRAFT), 1);
    static const char *const want[] = {"$=ожидается объект", NULL};
    expect_errors(&f, want);
    arena_destroy(&f.a);
}

static void test_ecers_values(void **state)
{
    (void)state;
    fixture f;
    setup(&f, "{'code': 'E', 'version': 1, 'title': 'Ш', 'respondents': ['expert'],"
              " 'targets': ['group'], 'scoring': 'ecers', 'sections': [{'code': 'E.1',"
              " 'title': 'Р', 'indicators': [{'code': 'E.1.1', 'title': 'П', 'items': ["
              "  {'code': 'e1', 'type': 'ecers', 'column': 1, 'text': 'а'},"
              "  {'code': 'e3', 'type': 'ecers', 'column': 3, 'text': 'б', 'na_allowed': true},"
              "  {'code': 'e5', 'type': 'ecers', 'column': 5, 'text': 'в'},"
              "  {'code': 'e7', 'type': 'ecers', 'column': 7, 'text': 'г'}]}]}]}");
    assert_int_equal(check(&f, "{'e1': 'no', 'e3': 'na', 'e5': 'yes', 'e7': 'no'}", ANSWERS_SUBMIT),
                     0);
    assert_int_equal(get(&f, "e1")->choice, ANSWER_NO);
    assert_int_equal(get(&f, "e3")->state, ANSWER_NA);
    assert_int_equal(get(&f, "e5")->choice, ANSWER_YES);
    check(&f, "{'e1': 'met', 'e3': 'yes', 'e5': 'na'}", ANSWERS_SUBMIT);
    static const char *const want[] = {"e1=ожидается «yes» или «no»",
                                       "e5=«не применимо» для этого пункта не предусмотрен",
                                       "e7=нужен ответ", NULL};
    expect_errors(&f, want);
    arena_destroy(&f.a);
}

static void test_error_cap(void **state)
{
    (void)state;
    fixture f;
    setup(&f, FORM);
    json_t *v = json_object();
    for (int i = 0; i < 600; i++) {
        char key[16];
        snprintf(key, sizeof key, "x%d", i);
        json_object_set_new(v, key, json_true());
    }
    form_errors_init(&f.errs, &f.a, ANSWERS_MAX_ERRORS);
    assert_int_equal(answers_check(&f.a, f.ins, v, ANSWERS_SUBMIT, &f.set, &f.errs), 1);
    json_decref(v);
    assert_int_equal(f.errs.count, ANSWERS_MAX_ERRORS);
    assert_true(f.errs.truncated);
    assert_string_equal(f.errs.items[0].where, "C2");
    arena_destroy(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_empty_is_valid),
        cmocka_unit_test(test_full_set_typed_values),
        cmocka_unit_test(test_bad_shapes_one_error_per_field),
        cmocka_unit_test(test_submit_requires_answers),
        cmocka_unit_test(test_na_only_where_allowed_on_submit),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_likert),
        cmocka_unit_test(test_multi),
        cmocka_unit_test(test_text_length_in_characters),
        cmocka_unit_test(test_evidence_files),
        cmocka_unit_test(test_long_bad_option_quoted_whole_characters),
        cmocka_unit_test(test_not_an_object),
        cmocka_unit_test(test_ecers_values),
        cmocka_unit_test(test_error_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
