/* XLSX workbooks of typed tables with libxlsxwriter (xlsx_table.h). */
#include "exchange/xlsx_table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define SHEET_NAME_MAX 31 /* characters, Excel's limit */

double xlsx_table_col_width(const sheet_table *t, size_t col)
{
    size_t w = sheet_table_cell_width(&(table_cell){CELL_TEXT, t->header[col], 0});
    for (size_t r = 0; r < t->nrows; r++) {
        size_t cw = sheet_table_cell_width(sheet_table_cell(t, r, col));
        if (cw > w)
            w = cw;
    }
    double width = (double)w + 2;
    return width < 6 ? 6 : width > 60 ? 60 : width;
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters, not empty, distinct from
 * the earlier ones (a " (2)" suffix otherwise). */
static void sheet_name(const char *name, size_t index, char names[][SHEET_NAME_MAX * 4 + 8],
                       char *out, size_t outlen)
{
    size_t o = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < outlen; p++) {
        int lead = (*p & 0xC0) != 0x80;
        if (lead && chars == SHEET_NAME_MAX - 4)
            break; /* room for a suffix */
        chars += lead;
        out[o++] = strchr("[]:*?/\\'", *p) ? '_' : (char)*p;
    }
    out[o] = '\0';
    if (o == 0)
        snprintf(out, outlen, "Лист%zu", index + 1);
    for (size_t i = 0; i < index; i++)
        if (strcmp(names[i], out) == 0) {
            size_t n = strlen(out);
            snprintf(out + n, outlen - n, " (%zu)", index + 1);
            break;
        }
}

int xlsx_table_write(const char *path, const char *tmpdir, const sheet_table *const *tables,
                     size_t ntables, char *err, size_t errlen)
{
    if (ntables == 0 || ntables > 32) {
        snprintf(err, errlen, "a workbook has 1…32 sheets, not %zu", ntables);
        return -1;
    }
    for (size_t i = 0; i < ntables; i++)
        if (!tables[i] || tables[i]->failed) {
            snprintf(err, errlen, "table %zu is incomplete (out of memory)", i);
            return -1;
        }
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmpdir, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        snprintf(err, errlen, "cannot create the workbook %s", path);
        return -1;
    }
    lxw_format *title = workbook_add_format(wb);
    lxw_format *head = workbook_add_format(wb);
    if (!title || !head) {
        workbook_close(wb);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    format_set_bold(title);
    format_set_font_size(title, 13);
    format_set_bold(head);
    format_set_bottom(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_TOP);

    char names[32][SHEET_NAME_MAX * 4 + 8];
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < ntables && e == LXW_NO_ERROR; i++) {
        const sheet_table *t = tables[i];
        sheet_name(t->name, i, names, names[i], sizeof names[i]);
        lxw_worksheet *ws = workbook_add_worksheet(wb, names[i]);
        if (!ws) {
            e = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        lxw_row_t row = 0;
        for (size_t k = 0; k < t->ntitle && e == LXW_NO_ERROR; k++, row++)
            e = worksheet_write_string(ws, row, 0, t->title[k], k == 0 ? title : NULL);
        if (t->ntitle)
            row++; /* a blank line between the title block and the table */
        lxw_row_t header_row = row;
        for (size_t c = 0; c < t->ncols && e == LXW_NO_ERROR; c++) {
            e = worksheet_write_string(ws, row, (lxw_col_t)c, t->header[c], head);
            if (e == LXW_NO_ERROR)
                e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, xlsx_table_col_width(t, c),
                                         NULL);
        }
        row++;
        for (size_t r = 0; r < t->nrows && e == LXW_NO_ERROR; r++, row++) {
            for (size_t c = 0; c < t->ncols && e == LXW_NO_ERROR; c++) {
                const table_cell *cell = sheet_table_cell(t, r, c);
                if (cell->kind == CELL_NUMBER)
                    e = worksheet_write_number(ws, row, (lxw_col_t)c, cell->number, NULL);
                else if (cell->kind == CELL_TEXT && *cell->text)
                    e = worksheet_write_string(ws, row, (lxw_col_t)c, cell->text, NULL);
            }
        }
        if (e == LXW_NO_ERROR)
            worksheet_freeze_panes(ws, header_row + 1, 0);
    }
    lxw_error ce = workbook_close(wb); /* writes the file and frees the workbook */
    if (e == LXW_NO_ERROR)
        e = ce;
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "libxlsxwriter: %s", lxw_strerror(e));
        return -1;
    }
    return 0;
}

static int read_all(arena *a, int fd, const char **out, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (off_t)256 * 1024 * 1024)
        return -1;
    size_t n = (size_t)st.st_size;
    char *buf = arena_alloc(a, n + 1);
    if (!buf)
        return -1;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int xlsx_table_render(arena *a, const char *dir, const sheet_table *const *tables, size_t ntables,
                      const char **out, size_t *len, char *err, size_t errlen)
{
    char *path = arena_sprintf(a, "%s/export-XXXXXX.xlsx", dir);
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int fd = mkstemps(path, 5);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = xlsx_table_write(path, dir, tables, ntables, err, errlen);
    if (rc == 0) {
        /* libxlsxwriter wrote a new file under the same name: read that one */
        int rfd = open(path, O_RDONLY | O_CLOEXEC);
        if (rfd < 0 || read_all(a, rfd, out, len) != 0) {
            snprintf(err, errlen, "cannot read back %s", path);
            rc = -1;
        }
        if (rfd >= 0)
            close(rfd);
    }
    close(fd);
    unlink(path);
    return rc;
}
