/* A table of typed cells (text, number, empty) with a title block and a header row: what
 * an export writes, built once and written as XLSX (xlsx_table.h) or CSV. All memory comes
 * from the arena given to sheet_table_new. */
#ifndef VSOK_SHEET_TABLE_H
#define VSOK_SHEET_TABLE_H

#include "core/arena.h"
#include "exchange/csv.h"

#include <stddef.h>

typedef enum { CELL_EMPTY = 0, CELL_TEXT, CELL_NUMBER } cell_kind;

typedef struct {
    cell_kind kind;
    const char *text; /* CELL_TEXT */
    double number;    /* CELL_NUMBER */
} table_cell;

#define SHEET_TABLE_MAX_COLS 256
#define SHEET_TABLE_MAX_TITLE 8

typedef struct {
    arena *a;
    const char *name; /* the sheet's name */
    const char *title[SHEET_TABLE_MAX_TITLE];
    size_t ntitle;
    const char **header; /* ncols texts */
    size_t ncols;
    table_cell *cells; /* nrows * ncols, row after row */
    size_t nrows, cap_rows;
    size_t col;                /* the next cell of the current row */
    int failed;                /* out of memory or too many cells: every later call fails */
    const char *csv_column[2]; /* header and text of a last CSV column (sheet_table_csv_column) */
} sheet_table;

/* A table with ncols columns (1…SHEET_TABLE_MAX_COLS) named `name`; NULL when out of memory. */
sheet_table *sheet_table_new(arena *a, const char *name, size_t ncols);

/* A line of the title block (at most SHEET_TABLE_MAX_TITLE); the text is copied. */
int sheet_table_title(sheet_table *t, const char *line);

/* Header text of column col; copied. */
int sheet_table_header(sheet_table *t, size_t col, const char *text);

/* Starts a new row; its cells are empty until set. */
int sheet_table_row(sheet_table *t);

/* The next cell of the current row: a text (copied; NULL is an empty cell), a number
 * (NaN and infinities are written as empty cells), or an empty cell. */
int sheet_table_text(sheet_table *t, const char *s);
int sheet_table_number(sheet_table *t, double v);
int sheet_table_empty(sheet_table *t);

const table_cell *sheet_table_cell(const sheet_table *t, size_t row, size_t col);

/* Display width of a cell in characters (UTF-8 code points; a number as csv_number_text
 * writes it). */
size_t sheet_table_cell_width(const table_cell *c);

/* A last column that only the CSV has, with the same text on every row: what the title
 * block says and a plain table must carry itself (the sheets a dashboard counts). Copied. */
int sheet_table_csv_column(sheet_table *t, const char *header, const char *text);

/* The header row and every row as CSV (no title block: a file that reads back as a plain
 * table; a sheet_table_csv_column after the table's own columns), numbers with a dot or, with
 * decimal_comma, a comma (what Russian Excel reads as a number when the separator is ';'). The
 * writer's BOM is the caller's. */
int sheet_table_csv(const sheet_table *t, csv_writer *w, int decimal_comma);

#endif
