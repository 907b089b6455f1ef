/* Instrument parsing and validation: a valid document, every kind of bad node reported at
 * its JSON path (all of them, up to the cap), lookups by code, and the shipped instruments
 * of sql/instruments/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "forms/instrument.h"

/* JSON written with single quotes (the texts hold none), for readable fixtures. */
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

static const char *BASE =
    "{'code': 'T', 'version': 1, 'title': 'Тест', 'respondents': ['teacher', 'expert'],"
    " 'targets': ['group'], 'scoring': 'cumulative', 'sections': ["
    "  {'code': 'T.1', 'title': 'Раздел 1', 'indicators': ["
    "   {'code': 'T.1.1', 'title': 'Показатель 1', 'items': ["
    "     {'code': 'T.1.1.1', 'type': 'check', 'level': 2, 'text': 'Пункт уровня 2'},"
    "     {'code': 'T.1.1.2', 'type': 'check', 'level': 3, 'text': 'Пункт уровня 3'},"
    "     {'code': 'T.1.1.3', 'type': 'check', 'level': 4, 'text': 'Пункт уровня 4'},"
    "     {'code': 'T.1.1.4', 'type': 'check', 'level': 5, 'text': 'Пункт уровня 5',"
    "      'na_allowed': true},"
    "     {'code': 'T.1.1.5', 'type': 'evidence', 'text': 'Фото и видео'},"
    "     {'code': 'T.1.1.6', 'type': 'longtext', 'text': 'Обоснование'}]}]},"
    "  {'code': 'T.2', 'title': {'ru': 'Раздел 2', 'en': 'Section 2'}, 'indicators': ["
    "   {'code': 'T.2.1', 'title': 'Показатель 2', 'help': 'Подсказка', 'items': ["
    "     {'code': 'T.2.1.1', 'type': 'check', 'level': 2, 'text': 'а'},"
    "     {'code': 'T.2.1.2', 'type': 'check', 'level': 3, 'text': 'б'},"
    "     {'code': 'T.2.1.3', 'type': 'check', 'level': 4, 'text': 'в'},"
    "     {'code': 'T.2.1.4', 'type': 'check', 'level': 5, 'text': 'г'},"
    "     {'code': 'T.2.1.5', 'type': 'single', 'text': 'Выбор', 'options': ["
    "       {'code': 'a', 'text': 'А'}, {'code': 'b', 'text': 'Б'}]},"
    "     {'code': 'T.2.1.6', 'type': 'number', 'text': 'Число', 'min': 0, 'max': 30,"
    "      'integer': true, 'unit': 'чел.'}]}]}]}";

/* The node at a path such as "sections[1].indicators[0].items[2]" ("" is the root). */
static json_t *node(json_t *root, const char *path)
{
    json_t *v = root;
    const char *p = path;
    while (*p) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            v = json_array_get(v, (size_t)i);
            p = end + 1;
        } else {
            size_t n = strcspn(p, ".[");
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)n, p);
            v = json_object_get(v, key);
            p += n;
        }
        if (!v)
            fail_msg("fixture path %s", path);
    }
    return v;
}

/* Sets key of the object at path to the JSON text value (single quotes allowed). */
static void set(json_t *root, const char *path, const char *key, const char *value)
{
    assert_int_equal(json_object_set_new(node(root, path), key, J(value)), 0);
}

static void del(json_t *root, const char *path, const char *key)
{
    assert_int_equal(json_object_del(node(root, path), key), 0);
}

typedef struct {
    arena a;
    form_errors errs;
    const instrument *ins;
    int rc;
} fixture;

static void parse(fixture *f, json_t *doc)
{
    arena_init(&f->a, 4096);
    form_errors_init(&f->errs, &f->a, 100);
    f->ins = NULL;
    f->rc = instrument_parse(&f->a, doc, &f->ins, &f->errs);
    json_decref(doc);
}

static void done(fixture *f)
{
    arena_destroy(&f->a);
}

static void dump(const fixture *f)
{
    for (size_t i = 0; i < f->errs.count; i++)
        fprintf(stderr, "  %s: %s\n", f->errs.items[i].where, f->errs.items[i].message);
}

/* Asserts an error at exactly this path whose message contains part. */
static void expect(const fixture *f, const char *path, const char *part)
{
    for (size_t i = 0; i < f->errs.count; i++) {
        if (strcmp(f->errs.items[i].where, path) == 0 && strstr(f->errs.items[i].message, part))
            return;
    }
    dump(f);
    fail_msg("no error at %s containing \"%s\"", path, part);
}

/* Parses BASE changed by one edit and expects exactly one error, at path. */
static void one_error(json_t *doc, const char *path, const char *part)
{
    fixture f;
    parse(&f, doc);
    assert_int_equal(f.rc, 1);
    assert_null(f.ins);
    if (f.errs.count != 1)
        dump(&f);
    assert_int_equal(f.errs.count, 1);
    expect(&f, path, part);
    done(&f);
}

static void test_valid_document(void **state)
{
    (void)state;
    fixture f;
    parse(&f, J(BASE));
    if (f.rc != 0)
        dump(&f);
    assert_int_equal(f.rc, 0);
    const instrument *ins = f.ins;
    assert_non_null(ins);
    assert_string_equal(ins->code, "T");
    assert_int_equal(ins->version, 1);
    assert_int_equal(ins->scoring, RULE_CUMULATIVE);
    assert_int_equal(ins->n_sections, 2);
    assert_int_equal(ins->n_indicators, 2);
    assert_int_equal(ins->n_items, 12);
    assert_int_equal(ins->n_index, 16);
    assert_string_equal(ins->sections[1].title.ru, "Раздел 2");
    assert_string_equal(ins->sections[1].title.en, "Section 2");
    assert_null(ins->sections[0].title.en);
    assert_string_equal(ins->indicators[1].help.ru, "Подсказка");
    assert_null(ins->indicators[0].help.ru);
    assert_int_equal(ins->sections[1].first_indicator, 1);
    assert_int_equal(ins->indicators[1].first_item, 6);
    assert_int_equal(ins->indicators[1].n_items, 6);
    assert_true(instrument_has_respondent(ins, "expert"));
    assert_false(instrument_has_respondent(ins, "parent"));
    assert_true(instrument_has_target(ins, "group"));
    assert_false(instrument_has_target(ins, "kindergarten"));

    const inst_item *it = instrument_item(ins, "T.1.1.4");
    assert_non_null(it);
    assert_int_equal(it->type, ITEM_CHECK);
    assert_int_equal(it->level, 5);
    assert_true(it->required);
    assert_true(it->na_allowed);
    assert_int_equal(it->section, 0);
    assert_int_equal(it->indicator, 0);
    it = instrument_item(ins, "T.1.1.5");
    assert_int_equal(it->type, ITEM_EVIDENCE);
    assert_int_equal(it->max_files, 10);
    assert_int_equal(it->accept, EVIDENCE_PHOTO | EVIDENCE_VIDEO);
    assert_false(it->required);
    assert_int_equal(instrument_item(ins, "T.1.1.6")->max_length, 5000);
    it = instrument_item(ins, "T.2.1.6");
    assert_true(it->integer && it->has_min && it->has_max);
    assert_true(it->min == 0 && it->max == 30);
    assert_string_equal(it->unit.ru, "чел.");
    it = instrument_item(ins, "T.2.1.5");
    assert_int_equal(it->n_options, 2);
    assert_string_equal(it->options[1].code, "b");
    assert_int_equal(it->section, 1);
    assert_int_equal(it->indicator, 1);

    assert_ptr_equal(instrument_indicator(ins, "T.2.1"), &ins->indicators[1]);
    assert_ptr_equal(instrument_section(ins, "T.2"), &ins->sections[1]);
    assert_null(instrument_item(ins, "T.2.1")); /* an indicator, not an item */
    assert_null(instrument_indicator(ins, "T.1.1.1"));
    assert_null(instrument_item(ins, "T.9"));
    assert_null(instrument_item(ins, ""));
    assert_int_equal(f.errs.count, 0);
    done(&f);
}

static void test_root_not_object(void **state)
{
    (void)state;
    one_error(J("['T']"), "$", "объект");
}

static void test_missing_top_fields_all_reported(void **state)
{
    (void)state;
    fixture f;
    parse(&f, J("{}"));
    assert_int_equal(f.rc, 1);
    const char *fields[] = {"code",    "version", "title",   "respondents",
                            "targets", "scoring", "sections"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        expect(&f, fields[i], "обязательное поле");
    assert_int_equal(f.errs.count, 7);
    done(&f);
}

static void test_top_field_types(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "", "code", "'T 1'");
    set(d, "", "version", "'1'");
    set(d, "", "title", "'   '");
    set(d, "", "description", "5");
    set(d, "", "respondents", "['teacher', 'director', 'teacher']");
    set(d, "", "targets", "[]");
    set(d, "", "scoring", "'sum'");
    set(d, "", "colour", "'red'");
    fixture f;
    parse(&f, d);
    assert_int_equal(f.rc, 1);
    expect(&f, "code", "латинских букв");
    expect(&f, "version", "целое число");
    expect(&f, "title", "пустым");
    expect(&f, "description", "строка");
    expect(&f, "respondents[1]", "doo_coordinator");
    expect(&f, "respondents[2]", "уже указано");
    expect(&f, "targets", "пустым");
    expect(&f, "scoring", "cumulative, ecers, share_positive, mean или none");
    expect(&f, "colour", "неизвестное поле");
    assert_int_equal(f.errs.count, 9);
    done(&f);
}

static void test_version_range(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "", "version", "0");
    one_error(d, "version", "от 1 до 1000000");
}

static void test_text_object_form(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "", "title", "{'en': 'Test', 'de': 'Test'}");
    fixture f;
    parse(&f, d);
    expect(&f, "title.ru", "обязательное поле");
    expect(&f, "title.de", "неизвестное поле");
    assert_int_equal(f.errs.count, 2);
    done(&f);
    d = J(BASE);
    set(d, "sections[0]", "title", "{'ru': 'Раздел', 'en': ''}");
    one_error(d, "sections[0].title.en", "пустым");
}

static void test_nul_in_text(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    assert_int_equal(json_object_set_new(node(d, "sections[0]"), "title", json_stringn("а\0б", 5)),
                     0);
    one_error(d, "sections[0].title", "NUL");
}

static void test_text_too_long(void **state)
{
    (void)state;
    char *s = malloc(2 * 2001 + 1);
    assert_non_null(s);
    s[0] = '\0';
    for (int i = 0; i < 2001; i++)
        strcat(s, "я");
    json_t *d = J(BASE);
    assert_int_equal(
        json_object_set_new(node(d, "sections[0].indicators[0]"), "title", json_string(s)), 0);
    free(s);
    one_error(d, "sections[0].indicators[0].title", "не длиннее 2000 символов (сейчас 2001)");
}

static void test_sections_shape(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "", "sections", "[]");
    one_error(d, "sections", "пустым");
    d = J(BASE);
    set(d, "", "sections", "{}");
    one_error(d, "sections", "массив");
    d = J(BASE);
    assert_int_equal(json_array_append_new(node(d, "sections"), json_integer(7)), 0);
    one_error(d, "sections[2]", "объект раздела");
    d = J(BASE);
    del(d, "sections[1]", "indicators");
    set(d, "sections[1]", "intro", "'x'");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[1].indicators", "обязательное поле");
    expect(&f, "sections[1].intro", "неизвестное поле");
    assert_int_equal(f.errs.count, 2);
    done(&f);
}

static void test_indicator_shape(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[1].indicators[0]", "items", "[]");
    set(d, "sections[1].indicators[0]", "evidence", "true");
    del(d, "sections[1].indicators[0]", "title");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[1].indicators[0].items", "пустым");
    expect(&f, "sections[1].indicators[0].evidence", "неизвестное поле");
    expect(&f, "sections[1].indicators[0].title", "обязательное поле");
    assert_int_equal(f.errs.count, 3);
    done(&f);
    d = J(BASE);
    assert_int_equal(json_array_append_new(node(d, "sections[0].indicators"), json_string("x")), 0);
    one_error(d, "sections[0].indicators[1]", "объект показателя");
}

static void test_check_level_range(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[0].indicators[0].items[3]", "level", "6");
    set(d, "sections[1].indicators[0].items[0]", "level", "'2'");
    del(d, "sections[1].indicators[0].items[1]", "level");
    fixture f;
    parse(&f, d);
    assert_int_equal(f.rc, 1);
    expect(&f, "sections[0].indicators[0].items[3].level", "от 2 до 5");
    expect(&f, "sections[1].indicators[0].items[0].level", "целое число");
    expect(&f, "sections[1].indicators[0].items[1].level", "обязательное поле");
    /* A bad item skips its indicator's level count: no extra error for the missing level. */
    assert_int_equal(f.errs.count, 3);
    done(&f);
}

static void test_cumulative_needs_every_level(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[1].indicators[0].items[2]", "level", "3");
    set(d, "sections[1].indicators[0].items[3]", "level", "3");
    one_error(d, "sections[1].indicators[0].items", "нет пунктов check уровней 4, 5");
}

static void test_item_type_per_rule(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[0].indicators[0].items[4]", "type", "'ecers'");
    set(d, "sections[0].indicators[0].items[4]", "column", "3");
    one_error(d, "sections[0].indicators[0].items[4].type", "только при правиле ecers");
    d = J(BASE);
    set(d, "", "scoring", "'share_positive'");
    set(d, "sections[0].indicators[0].items[4]", "type", "'likert5'");
    fixture f;
    parse(&f, d);
    /* Eight check items outside a cumulative instrument. */
    expect(&f, "sections[0].indicators[0].items[0].type", "только при правиле cumulative");
    expect(&f, "sections[1].indicators[0].items[3].type", "только при правиле cumulative");
    assert_int_equal(f.errs.count, 8);
    done(&f);
}

static void test_item_common_fields(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    const char *p = "sections[0].indicators[0].items[4]";
    set(d, p, "type", "'photo'");
    set(d, "sections[0].indicators[0].items[5]", "na_allowed", "true");
    set(d, "sections[0].indicators[0].items[0]", "required", "false");
    set(d, "sections[0].indicators[0].items[1]", "required", "'yes'");
    del(d, "sections[0].indicators[0].items[2]", "text");
    set(d, "sections[0].indicators[0].items[3]", "options", "[]");
    del(d, "sections[1].indicators[0].items[0]", "type");
    assert_int_equal(
        json_array_append_new(node(d, "sections[1].indicators[0].items"), json_integer(1)), 0);
    fixture f;
    parse(&f, d);
    expect(&f, "sections[0].indicators[0].items[4].type", "неизвестный тип");
    expect(&f, "sections[0].indicators[0].items[5].na_allowed", "не предусмотрен");
    expect(&f, "sections[0].indicators[0].items[0].required", "всегда обязательны");
    expect(&f, "sections[0].indicators[0].items[1].required", "true или false");
    expect(&f, "sections[0].indicators[0].items[2].text", "обязательное поле");
    expect(&f, "sections[0].indicators[0].items[3].options", "неизвестное поле");
    expect(&f, "sections[1].indicators[0].items[0].type", "обязательное поле");
    expect(&f, "sections[1].indicators[0].items[6]", "объект пункта");
    assert_int_equal(f.errs.count, 8);
    done(&f);
}

static void test_unknown_type_still_checks_common_fields(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    const char *p = "sections[0].indicators[0].items[5]";
    set(d, p, "type", "7");
    del(d, p, "text");
    set(d, p, "code", "''");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[0].indicators[0].items[5].type", "неизвестный тип");
    expect(&f, "sections[0].indicators[0].items[5].text", "обязательное поле");
    expect(&f, "sections[0].indicators[0].items[5].code", "латинских букв");
    assert_int_equal(f.errs.count, 3);
    done(&f);
}

static void test_duplicate_codes(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[1]", "code", "'T.1'");
    set(d, "sections[1].indicators[0].items[5]", "code", "'T.1.1.2'");
    set(d, "sections[1].indicators[0].items[4]", "code", "'T.1.1'");
    fixture f;
    parse(&f, d);
    assert_int_equal(f.rc, 1);
    expect(&f, "sections[1].code", "код «T.1» уже использован: раздела sections[0]");
    expect(&f, "sections[1].indicators[0].items[5].code",
           "код «T.1.1.2» уже использован: пункта sections[0].indicators[0].items[1]");
    expect(&f, "sections[1].indicators[0].items[4].code",
           "уже использован: показателя sections[0].indicators[0]");
    assert_int_equal(f.errs.count, 3);
    done(&f);
}

static void test_options(void **state)
{
    (void)state;
    const char *p = "sections[1].indicators[0].items[4]";
    json_t *d = J(BASE);
    set(d, p, "options", "[]");
    one_error(d, "sections[1].indicators[0].items[4].options", "пустым");
    d = J(BASE);
    set(d, p, "options", "[{'code': 'a', 'text': 'А'}]");
    one_error(d, "sections[1].indicators[0].items[4].options", "не меньше двух");
    d = J(BASE);
    set(d, p, "options",
        "[{'code': 'a', 'text': 'А'}, {'code': 'a', 'text': 'Б'}, {'code': 'na', 'text': 'Н'},"
        " {'code': 'c'}, 'd', {'code': 'e', 'text': 'Е', 'score': 'high', 'color': 1}]");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[1].indicators[0].items[4].options[1].code", "повторяется");
    expect(&f, "sections[1].indicators[0].items[4].options[2].code", "зарезервирован");
    expect(&f, "sections[1].indicators[0].items[4].options[3].text", "обязательное поле");
    expect(&f, "sections[1].indicators[0].items[4].options[4]", "ожидается объект");
    expect(&f, "sections[1].indicators[0].items[4].options[5].score", "число");
    expect(&f, "sections[1].indicators[0].items[4].options[5].color", "неизвестное поле");
    assert_int_equal(f.errs.count, 6);
    done(&f);
}

static void test_multi_choices(void **state)
{
    (void)state;
    const char *p = "sections[1].indicators[0].items[4]";
    json_t *d = J(BASE);
    set(d, p, "type", "'multi'");
    set(d, p, "min_choices", "2");
    set(d, p, "max_choices", "1");
    one_error(d, "sections[1].indicators[0].items[4].min_choices", "больше max_choices");
    d = J(BASE);
    set(d, p, "type", "'multi'");
    set(d, p, "max_choices", "3");
    one_error(d, "sections[1].indicators[0].items[4].max_choices", "больше числа вариантов");
    d = J(BASE);
    set(d, p, "type", "'multi'");
    set(d, p, "options", "[{'code': 'a', 'text': 'А', 'score': 1}]");
    one_error(d, "sections[1].indicators[0].items[4].options[0].score", "неизвестное поле");
    d = J(BASE);
    set(d, p, "type", "'multi'");
    set(d, p, "options", "[{'code': 'a', 'text': 'А'}]");
    fixture f;
    parse(&f, d);
    assert_int_equal(f.rc, 0);
    const inst_item *it = instrument_item(f.ins, "T.2.1.5");
    assert_int_equal(it->min_choices, 0);
    assert_int_equal(it->max_choices, 1);
    done(&f);
}

static void test_number_bounds(void **state)
{
    (void)state;
    const char *p = "sections[1].indicators[0].items[5]";
    json_t *d = J(BASE);
    set(d, p, "min", "40");
    one_error(d, "sections[1].indicators[0].items[5].min", "min больше max");
    d = J(BASE);
    set(d, p, "min", "0.5");
    set(d, p, "max", "'30'");
    set(d, p, "integer", "1");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[1].indicators[0].items[5].max", "ожидается число");
    expect(&f, "sections[1].indicators[0].items[5].integer", "true или false");
    assert_int_equal(f.errs.count, 2);
    done(&f);
    d = J(BASE);
    set(d, p, "min", "0.5");
    one_error(d, "sections[1].indicators[0].items[5].min", "целыми");
    d = J(BASE);
    set(d, p, "integer", "false");
    set(d, p, "min", "30");
    fixture g;
    parse(&g, d); /* min == max is allowed */
    assert_int_equal(g.rc, 0);
    done(&g);
}

static void test_text_likert_evidence_fields(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    set(d, "sections[0].indicators[0].items[5]", "max_length", "20001");
    set(d, "sections[0].indicators[0].items[4]", "max_files", "0");
    set(d, "sections[0].indicators[0].items[4]", "accept", "['photo', 'audio']");
    fixture f;
    parse(&f, d);
    expect(&f, "sections[0].indicators[0].items[5].max_length", "от 1 до 20000");
    expect(&f, "sections[0].indicators[0].items[4].max_files", "от 1 до 50");
    expect(&f, "sections[0].indicators[0].items[4].accept[1]", "photo, video");
    assert_int_equal(f.errs.count, 3);
    done(&f);

    d = J(BASE);
    set(d, "", "scoring", "'mean'");
    set(d, "sections[0]", "indicators",
        "[{'code': 'L', 'title': 'Л', 'items': ["
        " {'code': 'L1', 'type': 'likert5', 'text': 'а', 'labels': ['1', '2', '3', '4']},"
        " {'code': 'L2', 'type': 'likert5', 'text': 'б', 'labels': ['1', '2', ' ', '4', 5]},"
        " {'code': 'L3', 'type': 'likert5', 'text': 'в', 'labels': ['никогда', 'редко',"
        "   'иногда', 'часто', {'ru': 'всегда', 'en': 'always'}]},"
        " {'code': 'L4', 'type': 'text', 'text': 'г', 'max_length': 2001}]}]");
    set(d, "sections[1].indicators[0]", "items", "[{'code': 'X', 'type': 'yes_no', 'text': 'д'}]");
    parse(&f, d);
    expect(&f, "sections[0].indicators[0].items[0].labels", "пяти подписей");
    expect(&f, "sections[0].indicators[0].items[1].labels[2]", "пустым");
    expect(&f, "sections[0].indicators[0].items[1].labels[4]", "строка или объект");
    expect(&f, "sections[0].indicators[0].items[3].max_length", "от 1 до 2000");
    assert_int_equal(f.errs.count, 4);
    done(&f);
}

static const char *ECERS =
    "{'code': 'E', 'version': 2, 'title': 'Шкала', 'respondents': ['expert'],"
    " 'targets': ['group'], 'scoring': 'ecers', 'sections': [{'code': 'E.1', 'title': 'Р',"
    " 'indicators': [{'code': 'E.1.1', 'title': 'П', 'items': ["
    "  {'code': 'E.1.1.1', 'type': 'ecers', 'column': 1, 'text': 'а'},"
    "  {'code': 'E.1.1.2', 'type': 'ecers', 'column': 3, 'text': 'б'},"
    "  {'code': 'E.1.1.3', 'type': 'ecers', 'column': 5, 'text': 'в'},"
    "  {'code': 'E.1.1.4', 'type': 'ecers', 'column': 7, 'text': 'г'}]}]}]}";

static void test_ecers_columns(void **state)
{
    (void)state;
    fixture f;
    parse(&f, J(ECERS));
    assert_int_equal(f.rc, 0);
    assert_int_equal(f.ins->items[3].column, 7);
    done(&f);

    json_t *d = J(ECERS);
    set(d, "sections[0].indicators[0].items[1]", "column", "2");
    one_error(d, "sections[0].indicators[0].items[1].column", "1, 3, 5 или 7");
    d = J(ECERS);
    set(d, "sections[0].indicators[0].items[1]", "column", "9");
    one_error(d, "sections[0].indicators[0].items[1].column", "1, 3, 5 или 7");
    d = J(ECERS);
    set(d, "sections[0].indicators[0].items[2]", "column", "7");
    one_error(d, "sections[0].indicators[0].items", "нет пунктов ecers столбцов 5");
    /* Column 1 may be empty. */
    d = J(ECERS);
    set(d, "sections[0].indicators[0].items[0]", "column", "3");
    parse(&f, d);
    assert_int_equal(f.rc, 0);
    done(&f);
    d = J(ECERS);
    set(d, "sections[0].indicators[0].items[0]", "type", "'check'");
    set(d, "sections[0].indicators[0].items[0]", "level", "2");
    del(d, "sections[0].indicators[0].items[0]", "column");
    one_error(d, "sections[0].indicators[0].items[0].type", "только при правиле cumulative");
}

static void test_rules_need_scored_items(void **state)
{
    (void)state;
    const char *tpl =
        "{'code': 'Q', 'version': 1, 'title': 'Анкета', 'respondents': ['parent'],"
        " 'targets': ['parent'], 'scoring': '%s', 'sections': [{'code': 'Q.1', 'title': 'Р',"
        " 'indicators': [{'code': 'Q.1.1', 'title': 'П', 'items': ["
        "  {'code': 'Q1', 'type': 'single', 'text': 'а', 'options': [{'code': 'x', 'text': 'X'},"
        "   {'code': 'y', 'text': 'Y'}]}, {'code': 'Q2', 'type': 'text', 'text': 'б'}]}]}]}";
    char buf[1024];
    snprintf(buf, sizeof buf, tpl, "share_positive");
    one_error(J(buf), "sections", "likert5, yes_no или yes_no_unsure");
    snprintf(buf, sizeof buf, tpl, "mean");
    one_error(J(buf), "sections", "баллами вариантов");
    snprintf(buf, sizeof buf, tpl, "none");
    fixture f;
    parse(&f, J(buf));
    assert_int_equal(f.rc, 0);
    assert_false(instrument_item_scored(RULE_NONE, &f.ins->items[0]));
    done(&f);
    /* One scored option makes the single item count under mean. */
    snprintf(buf, sizeof buf, tpl, "mean");
    json_t *d = J(buf);
    set(d, "sections[0].indicators[0].items[0].options[1]", "score", "2.5");
    parse(&f, d);
    assert_int_equal(f.rc, 0);
    assert_true(instrument_item_scored(RULE_MEAN, &f.ins->items[0]));
    assert_true(f.ins->items[0].options[1].has_score);
    assert_false(f.ins->items[0].options[0].has_score);
    done(&f);
}

static void test_errors_capped(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    json_t *items = node(d, "sections[0].indicators[0].items");
    for (int i = 0; i < 150; i++)
        assert_int_equal(json_array_append_new(items, json_integer(i)), 0);
    fixture f;
    parse(&f, d);
    assert_int_equal(f.rc, 1);
    assert_int_equal(f.errs.count, 100);
    assert_true(f.errs.truncated);
    expect(&f, "sections[0].indicators[0].items[6]", "объект пункта");
    expect(&f, "sections[0].indicators[0].items[105]", "объект пункта");
    done(&f);
}

static void test_too_many_items(void **state)
{
    (void)state;
    json_t *d = J(BASE);
    json_t *inds = node(d, "sections[0].indicators");
    json_t *one = json_array_get(inds, 0);
    json_t *items = json_object_get(one, "items");
    while (json_array_size(items) < INSTRUMENT_MAX_ITEMS)
        assert_int_equal(json_array_append_new(items, json_object()), 0);
    for (int i = 0; i < INSTRUMENT_MAX_TOTAL_ITEMS / INSTRUMENT_MAX_ITEMS; i++)
        assert_int_equal(json_array_append_new(inds, json_deep_copy(one)), 0);
    one_error(d, "sections", "слишком много пунктов");
}

static void test_names(void **state)
{
    (void)state;
    for (int t = 0; t < ITEM_TYPE_COUNT; t++)
        assert_int_equal(instrument_item_type_parse(instrument_item_type_name((item_type)t)), t);
    assert_int_equal(instrument_item_type_parse("photo"), -1);
    assert_int_equal(instrument_rule_parse("ecers"), RULE_ECERS);
    assert_string_equal(instrument_rule_name(RULE_SHARE_POSITIVE), "share_positive");
    assert_int_equal(instrument_rule_parse("Ecers"), -1);
}

/* ---------------------------------------------------------------- shipped instruments */

static const char *instruments_dir(void)
{
    static const char *const dirs[] = {"sql/instruments", "../sql/instruments",
                                       "../../sql/instruments"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        DIR *d = opendir(dirs[i]);
        if (d) {
            closedir(d);
            return dirs[i];
        }
    }
    fail_msg("sql/instruments not found from the working directory");
    return NULL;
}

static int ends_with_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void load_file(fixture *f, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    json_error_t err;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        fail_msg("%s:%d: %s", path, err.line, err.text);
    parse(f, doc);
    if (f->rc != 0) {
        fprintf(stderr, "%s:\n", path);
        dump(f);
    }
    assert_int_equal(f->rc, 0);
}

static void test_shipped_instruments_validate(void **state)
{
    (void)state;
    const char *dir = instruments_dir();
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!ends_with_json(e->d_name))
            continue;
        fixture f;
        load_file(&f, dir, e->d_name);
        files++;
        done(&f);
    }
    closedir(d);
    assert_true(files >= 5);
}

/* The kindergarten quality scale: nine areas of 3..6 indicators, each with 2..4 check items
 * per level 2..5 and one evidence slot. */
static void test_quality_scale_shape(void **state)
{
    (void)state;
    fixture f;
    load_file(&f, instruments_dir(), "quality-scale.json");
    const instrument *ins = f.ins;
    assert_int_equal(ins->scoring, RULE_CUMULATIVE);
    assert_int_equal(ins->n_sections, 9);
    assert_true(instrument_has_respondent(ins, "doo_coordinator"));
    assert_true(instrument_has_respondent(ins, "expert"));
    for (size_t s = 0; s < ins->n_sections; s++) {
        const inst_section *sec = &ins->sections[s];
        assert_in_range(sec->n_indicators, 3, 6);
        for (size_t i = sec->first_indicator; i < sec->first_indicator + sec->n_indicators; i++) {
            const inst_indicator *ind = &ins->indicators[i];
            size_t per_level[4] = {0}, evidence = 0;
            for (size_t k = ind->first_item; k < ind->first_item + ind->n_items; k++) {
                if (ins->items[k].type == ITEM_CHECK)
                    per_level[ins->items[k].level - 2]++;
                evidence += ins->items[k].type == ITEM_EVIDENCE;
            }
            for (int l = 0; l < 4; l++) {
                if (per_level[l] < 2 || per_level[l] > 4)
                    fail_msg("%s: %zu items of level %d", ind->code, per_level[l], l + 2);
            }
            assert_int_equal(evidence, 1);
        }
    }
    /* Area 3 has one indicator per development domain. */
    assert_int_equal(ins->sections[2].n_indicators, 5);
    done(&f);
}

static void test_other_shipped_rules(void **state)
{
    (void)state;
    const char *dir = instruments_dir();
    struct {
        const char *file;
        scoring_rule rule;
        const char *respondent;
    } want[] = {
        {"teacher-self-assessment.json", RULE_MEAN, "teacher"},
        {"parent-questionnaire.json", RULE_SHARE_POSITIVE, "parent"},
        {"digital-competence.json", RULE_MEAN, "teacher"},
        {"ecers-scale.json", RULE_ECERS, "expert"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        fixture f;
        load_file(&f, dir, want[i].file);
        assert_int_equal(f.ins->scoring, want[i].rule);
        assert_true(instrument_has_respondent(f.ins, want[i].respondent));
        done(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_document),
        cmocka_unit_test(test_root_not_object),
        cmocka_unit_test(test_missing_top_fields_all_reported),
        cmocka_unit_test(test_top_field_types),
        cmocka_unit_test(test_version_range),
        cmocka_unit_test(test_text_object_form),
        cmocka_unit_test(test_nul_in_text),
        cmocka_unit_test(test_text_too_long),
        cmocka_unit_test(test_sections_shape),
        cmocka_unit_test(test_indicator_shape),
        cmocka_unit_test(test_check_level_range),
        cmocka_unit_test(test_cumulative_needs_every_level),
        cmocka_unit_test(test_item_type_per_rule),
        cmocka_unit_test(test_item_common_fields),
        cmocka_unit_test(test_unknown_type_still_checks_common_fields),
        cmocka_unit_test(test_duplicate_codes),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_multi_choices),
        cmocka_unit_test(test_number_bounds),
        cmocka_unit_test(test_text_likert_evidence_fields),
        cmocka_unit_test(test_ecers_columns),
        cmocka_unit_test(test_rules_need_scored_items),
        cmocka_unit_test(test_errors_capped),
        cmocka_unit_test(test_too_many_items),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_shipped_instruments_validate),
        cmocka_unit_test(test_quality_scale_shape),
        cmocka_unit_test(test_other_shipped_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
