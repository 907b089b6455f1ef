/* CSV files for import and export. Reading: the encoding is detected (UTF-8 with or without
 * BOM, otherwise Windows-1251), the delimiter is taken from the header line (';', ',' or
 * tab), records are parsed as RFC 4180 with the line each starts on. Writing: cells are
 * quoted when needed and cells a spreadsheet would run as a formula get a leading '.
 * Columns are found by their names in the header. Pure: no I/O, memory from the arena. */
#ifndef VSOK_CSV_H
#define VSOK_CSV_H

#include "core/arena.h"

#include <stddef.h>

#define CSV_DEFAULT_MAX_FIELDS 64
#define CSV_DEFAULT_MAX_FIELD_LEN 4096

typedef enum { CSV_UTF8 = 0, CSV_UTF8_BOM, CSV_CP1251 } csv_encoding;

typedef enum {
    CSV_OK = 0,
    CSV_ERR_NOMEM,
    CSV_ERR_EMPTY,    /* no record at all */
    CSV_ERR_ENCODING, /* binary data, NUL or control bytes, neither UTF-8 nor Windows-1251 */
    CSV_ERR_QUOTE,    /* a quote left open, text after a closing quote */
    CSV_ERR_LIMIT,    /* too many fields in a record or too long a field */
    CSV_ERR_TOO_MANY, /* more records than csv_options.max_records */
    CSV_ERR_HEADER    /* unknown, repeated or missing columns */
} csv_status;

/* What went wrong, for the user: message is Russian and does not repeat the line. */
typedef struct {
    csv_status status;
    size_t line; /* 1-based line of the problem, 0 when it concerns the whole file */
    char message[512];
} csv_error;

typedef struct {
    size_t line; /* 1-based line on which the record starts */
    size_t nfields;
    char **fields; /* UTF-8, NUL-terminated, never containing NUL; writable */
    size_t *lens;
} csv_record;

typedef struct {
    char delimiter;       /* 0: detect from the header line */
    size_t max_fields;    /* per record; 0: CSV_DEFAULT_MAX_FIELDS */
    size_t max_field_len; /* bytes; 0: CSV_DEFAULT_MAX_FIELD_LEN */
    size_t max_records;   /* 0: no limit */
} csv_options;

typedef struct {
    csv_encoding encoding;
    char delimiter;
    csv_record *records; /* empty lines are skipped */
    size_t nrecords;
} csv_doc;

/* Detects the encoding and returns the text as UTF-8 without BOM (*out is NUL-terminated;
 * it may point into data). Refuses NUL and other control bytes (tab, CR and LF are
 * allowed), UTF-16, spreadsheet files and bytes that Windows-1251 does not define. */
csv_status csv_decode(arena *a, const char *data, size_t len, const char **out, size_t *outlen,
                      csv_encoding *enc, csv_error *err);

/* The delimiter of the first non-empty line of UTF-8 text: the one of ';', ',' and tab
 * that occurs most often outside quotes; ';' when none occurs. */
char csv_detect_delimiter(const char *text, size_t len);

/* Parses decoded text. opt may be NULL. */
csv_status csv_parse_text(arena *a, const char *text, size_t len, const csv_options *opt,
                          csv_doc *doc, csv_error *err);

/* csv_decode, then csv_parse_text. */
csv_status csv_parse(arena *a, const char *data, size_t len, const csv_options *opt, csv_doc *doc,
                     csv_error *err);

/* ---------------------------------------------------------------- header and cells */

typedef struct {
    const char *name;           /* the English name, also accepted in the header */
    const char *const *aliases; /* other accepted names (Russian), NULL-terminated; may be NULL */
    int required;
} csv_column;

/* Finds each column in the header record: index[i] is the field index of cols[i], or -1
 * when the file has no such column. Names compare trimmed, case-insensitively (Latin and
 * Cyrillic), with ё as е and '_' as a space; header cells left empty are ignored. Unknown,
 * repeated and missing required columns are refused with a message naming them. */
csv_status csv_map_header(arena *a, const csv_record *header, const csv_column *cols, size_t ncols,
                          int *index, csv_error *err);

/* Field index of record r, or "" when index < 0 or the record is shorter. */
const char *csv_field(const csv_record *r, int index);

/* Strips surrounding whitespace (space, tab, CR, LF, no-break space) in place. */
char *csv_trim(char *s);

/* A comparison key: trimmed, lower case (Latin and Cyrillic), ё as е, runs of whitespace
 * as one space (and '_' as a space when underscore_is_space). NULL when out of memory. */
char *csv_fold(arena *a, const char *s, int underscore_is_space);

/* 1 when the cell would be taken for a formula by a spreadsheet: it starts with = + - @
 * tab or CR, possibly after apostrophes. */
int csv_is_formula_like(const char *s);

/* Undoes the writer's guard: a cell of the form '<formula-like> loses its first '. Returns
 * s or s + 1. */
const char *csv_unguard(const char *s);

/* ---------------------------------------------------------------- writer */

typedef struct {
    arena *a;
    char *buf;
    size_t len, cap;
    char sep;
    size_t row_cells; /* cells written in the current row */
    int last_empty;   /* the last cell written was empty */
    int failed;       /* out of memory: later calls do nothing, finish reports it */
} csv_writer;

void csv_writer_init(csv_writer *w, arena *a, char sep);

/* The UTF-8 byte order mark, so that spreadsheets read the file as UTF-8. */
int csv_write_bom(csv_writer *w);

/* Appends one cell (NULL is an empty cell): a leading ' when csv_is_formula_like, quotes
 * when it holds the separator, a quote, CR or LF. Returns 0 or -1. */
int csv_write_cell(csv_writer *w, const char *s);

/* A number as text into buf (at least 32 bytes): whole numbers without exponent or
 * decimals, others in the shortest form that reads back as the same double; a comma for
 * the decimal point with decimal_comma. Returns its length. */
size_t csv_number_text(double v, int decimal_comma, char *buf, size_t len);

/* Appends a number (the shortest text that reads back as the same double; a comma for the
 * decimal point with decimal_comma), never guarded: a negative number is no formula. */
int csv_write_number(csv_writer *w, double v, int decimal_comma);

/* Ends the row with CRLF. A row of one empty cell is written as "" so that it is not read
 * back as an empty line. Returns 0 or -1. */
int csv_end_row(csv_writer *w);

/* The text written so far. Returns 0, or -1 when any earlier write ran out of memory. */
int csv_writer_finish(csv_writer *w, const char **out, size_t *len);

#endif
