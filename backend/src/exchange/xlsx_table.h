/* Writing tables (sheet_table.h) as an XLSX workbook with libxlsxwriter: one sheet per
 * table, the title block in the first rows, the header row bold, numbers as numbers, the
 * column widths from the content, the panes frozen below the header. */
#ifndef VSOK_XLSX_TABLE_H
#define VSOK_XLSX_TABLE_H

#include "core/arena.h"
#include "exchange/sheet_table.h"

#include <stddef.h>

/* Writes the workbook to path (created or truncated). tmpdir: where libxlsxwriter keeps
 * its own temporary files (NULL: the system's). Returns 0, or -1 with a message in err. */
int xlsx_table_write(const char *path, const char *tmpdir, const sheet_table *const *tables,
                     size_t ntables, char *err, size_t errlen);

/* The workbook's bytes in the arena: written to a fresh temporary file in dir (mkstemp),
 * read back and the file removed, whatever happened. Returns 0, or -1 with err. */
int xlsx_table_render(arena *a, const char *dir, const sheet_table *const *tables, size_t ntables,
                      const char **out, size_t *len, char *err, size_t errlen);

/* Column width (in characters) for column col: the widest header or cell, plus a margin,
 * between 6 and 60. */
double xlsx_table_col_width(const sheet_table *t, size_t col);

#endif
