/* libFuzzer harness for the CSV reader (backend/src/exchange/csv.c): any bytes must either parse or
 * fail with a status and a message, never crash or read out of bounds; what parses must be
 * consistent (lengths, line numbers) and must come back unchanged from the writer.
 * Built and run by `make fuzz`. */
#include "exchange/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16
#define MAX_FIELD_LEN 256
#define MAX_RECORDS 1000

static const char *const LOGIN_RU[] = {"логин", NULL};
static const char *const NAME_RU[] = {"ФИО", NULL};
static const char *const CODE_RU[] = {"код организации", "код", NULL};
static const csv_column COLS[] = {
    {"login", LOGIN_RU, 1},
    {"full_name", NAME_RU, 1},
    {"unit_code", CODE_RU, 0},
};

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_doc(const csv_doc *d)
{
    check(d->nrecords > 0 && d->nrecords <= MAX_RECORDS);
    size_t line = 0;
    for (size_t i = 0; i < d->nrecords; i++) {
        const csv_record *r = &d->records[i];
        check(r->line > line);
        line = r->line;
        check(r->nfields >= 1 && r->nfields <= MAX_FIELDS);
        for (size_t f = 0; f < r->nfields; f++)
            check(r->lens[f] <= MAX_FIELD_LEN && strlen(r->fields[f]) == r->lens[f]);
    }
}

/* Writes every record back and reads the result: the same fields must come out. */
static void round_trip(arena *a, const csv_doc *d)
{
    csv_writer w;
    csv_writer_init(&w, a, d->delimiter);
    check(csv_write_bom(&w) == 0);
    for (size_t i = 0; i < d->nrecords; i++) {
        for (size_t f = 0; f < d->records[i].nfields; f++)
            check(csv_write_cell(&w, d->records[i].fields[f]) == 0);
        check(csv_end_row(&w) == 0);
    }
    const char *out;
    size_t len;
    check(csv_writer_finish(&w, &out, &len) == 0);
    csv_options o = {.delimiter = d->delimiter,
                     .max_fields = MAX_FIELDS,
                     .max_field_len = MAX_FIELD_LEN + 1, /* the formula guard adds one byte */
                     .max_records = MAX_RECORDS};
    csv_doc back;
    csv_error e;
    check(csv_parse(a, out, len, &o, &back, &e) == CSV_OK);
    check(back.encoding == CSV_UTF8_BOM && back.nrecords == d->nrecords);
    for (size_t i = 0; i < d->nrecords; i++) {
        check(back.records[i].nfields == d->records[i].nfields);
        for (size_t f = 0; f < d->records[i].nfields; f++)
            check(strcmp(csv_unguard(back.records[i].fields[f]), d->records[i].fields[f]) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a, 64 * 1024);
    csv_options o = {
        .max_fields = MAX_FIELDS, .max_field_len = MAX_FIELD_LEN, .max_records = MAX_RECORDS};
    csv_doc d;
    csv_error e;
    memset(&e, 0, sizeof e);
    csv_status s = csv_parse(&a, (const char *)data, size, &o, &d, &e);
    if (s != CSV_OK) {
        check(e.status == s && e.message[0] != '\0' && strlen(e.message) < sizeof e.message);
        arena_destroy(&a);
        return 0;
    }
    check_doc(&d);
    int idx[3];
    if (csv_map_header(&a, &d.records[0], COLS, 3, idx, &e) != CSV_OK)
        check(e.status == CSV_ERR_HEADER && e.message[0] != '\0');
    for (size_t i = 0; i < d.nrecords && i < 8; i++) {
        for (size_t f = 0; f < d.records[i].nfields; f++) {
            char *k = csv_fold(&a, d.records[i].fields[f], 1);
            check(k && strlen(k) <= d.records[i].lens[f]);
        }
    }
    round_trip(&a, &d);
    for (size_t i = 0; i < d.nrecords; i++) {
        for (size_t f = 0; f < d.records[i].nfields; f++)
            check(strlen(csv_trim(d.records[i].fields[f])) <= d.records[i].lens[f]);
    }
    arena_destroy(&a);
    return 0;
}
