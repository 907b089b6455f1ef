/* Building a table of typed cells (sheet_table.h). */
#include "exchange/sheet_table.h"

#include <math.h>
#include <string.h>

sheet_table *sheet_table_new(arena *a, const char *name, size_t ncols)
{
    if (ncols == 0 || ncols > SHEET_TABLE_MAX_COLS)
        return NULL;
    sheet_table *t = arena_alloc(a, sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->a = a;
    t->ncols = ncols;
    t->name = arena_strdup(a, name ? name : "");
    t->header = arena_alloc(a, ncols * sizeof *t->header);
    if (!t->name || !t->header)
        return NULL;
    for (size_t c = 0; c < ncols; c++)
        t->header[c] = "";
    return t;
}

int sheet_table_title(sheet_table *t, const char *line)
{
    if (t->failed || t->ntitle >= SHEET_TABLE_MAX_TITLE)
        return -1;
    const char *copy = arena_strdup(t->a, line ? line : "");
    if (!copy)
        return t->failed = 1, -1;
    t->title[t->ntitle++] = copy;
    return 0;
}

int sheet_table_header(sheet_table *t, size_t col, const char *text)
{
    if (t->failed || col >= t->ncols)
        return -1;
    const char *copy = arena_strdup(t->a, text ? text : "");
    if (!copy)
        return t->failed = 1, -1;
    t->header[col] = copy;
    return 0;
}

int sheet_table_row(sheet_table *t)
{
    if (t->failed)
        return -1;
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 32;
        if (cap > ((size_t)1 << 20) || cap > (size_t)-1 / (t->ncols * sizeof(table_cell)))
            return t->failed = 1, -1;
        table_cell *cells = arena_alloc(t->a, cap * t->ncols * sizeof *cells);
        if (!cells)
            return t->failed = 1, -1;
        if (t->nrows)
            memcpy(cells, t->cells, t->nrows * t->ncols * sizeof *cells);
        t->cells = cells;
        t->cap_rows = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->nrows++;
    t->col = 0;
    return 0;
}

static table_cell *next_cell(sheet_table *t)
{
    if (t->failed || t->nrows == 0 || t->col >= t->ncols)
        return NULL;
    return &t->cells[(t->nrows - 1) * t->ncols + t->col++];
}

int sheet_table_text(sheet_table *t, const char *s)
{
    table_cell *c = next_cell(t);
    if (!c)
        return -1;
    if (!s)
        return 0;
    c->text = arena_strdup(t->a, s);
    if (!c->text)
        return t->failed = 1, -1;
    c->kind = CELL_TEXT;
    return 0;
}

int sheet_table_number(sheet_table *t, double v)
{
    table_cell *c = next_cell(t);
    if (!c)
        return -1;
    if (isfinite(v)) {
        c->kind = CELL_NUMBER;
        c->number = v;
    }
    return 0;
}

int sheet_table_empty(sheet_table *t)
{
    return next_cell(t) ? 0 : -1;
}

const table_cell *sheet_table_cell(const sheet_table *t, size_t row, size_t col)
{
    return row < t->nrows && col < t->ncols ? &t->cells[row * t->ncols + col] : NULL;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

size_t sheet_table_cell_width(const table_cell *c)
{
    char buf[64];
    switch (c->kind) {
    case CELL_TEXT:
        return utf8_chars(c->text);
    case CELL_NUMBER:
        return csv_number_text(c->number, 0, buf, sizeof buf);
    default:
        return 0;
    }
}

int sheet_table_csv_column(sheet_table *t, const char *header, const char *text)
{
    t->csv_column[0] = arena_strdup(t->a, header);
    t->csv_column[1] = arena_strdup(t->a, text);
    if (!t->csv_column[0] || !t->csv_column[1])
        t->failed = 1;
    return t->failed ? -1 : 0;
}

int sheet_table_csv(const sheet_table *t, csv_writer *w, int decimal_comma)
{
    if (t->failed)
        return -1;
    int rc = 0;
    for (size_t c = 0; c < t->ncols; c++)
        rc |= csv_write_cell(w, t->header[c]);
    if (t->csv_column[0])
        rc |= csv_write_cell(w, t->csv_column[0]);
    rc |= csv_end_row(w);
    for (size_t r = 0; r < t->nrows && rc == 0; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const table_cell *cell = sheet_table_cell(t, r, c);
            if (cell->kind == CELL_NUMBER)
                rc |= csv_write_number(w, cell->number, decimal_comma);
            else
                rc |= csv_write_cell(w, cell->kind == CELL_TEXT ? cell->text : "");
        }
        if (t->csv_column[0])
            rc |= csv_write_cell(w, t->csv_column[1]);
        rc |= csv_end_row(w);
    }
    return rc ? -1 : 0;
}
