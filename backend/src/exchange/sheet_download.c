/* Tables answered as an XLSX or CSV download (sheet_download.h). */
#include "exchange/sheet_download.h"

#include "core/log.h"
#include "exchange/csv.h"
#include "exchange/xlsx_table.h"
#include "http/attachment.h"

#include <errno.h>
#include <sys/stat.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* <uploads_dir>/tmp: the workbook's temporary file, beside the stack's other state. */
static const char *tmp_dir(request *rq)
{
    char *dir = arena_sprintf(rq->a, "%s/tmp", rq->cfg->uploads_dir);
    if (dir && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return NULL;
    return dir;
}

static int respond_xlsx(request *rq, response *rs, const char *what, sheet_table *const *tables,
                        size_t n)
{
    const char *out = NULL;
    size_t len = 0;
    char err[256] = "";
    const char *dir = tmp_dir(rq);
    if (!dir || xlsx_table_render(rq->a, dir, (const sheet_table *const *)tables, n, &out, &len,
                                  err, sizeof err) != 0) {
        log_error("%s: %s", what, dir ? err : "no temporary directory");
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подготовить файл Excel.");
    }
    return respond_raw(rs, 200, XLSX_TYPE, out, len);
}

int sheet_download(request *rq, response *rs, const sheet_download_spec *d,
                   sheet_table *const *tables, size_t n)
{
    if (n == 0 || attachment_header(rq, rs, d->ascii, d->utf8, d->xlsx ? "xlsx" : "csv") != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    if (d->xlsx)
        return respond_xlsx(rq, rs, d->what, tables, n);
    const char *out = NULL;
    size_t len = 0;
    csv_writer w;
    csv_writer_init(&w, rq->a, d->sep);
    if (csv_write_bom(&w) != 0 || sheet_table_csv(tables[0], &w, d->sep == ';') != 0 ||
        csv_writer_finish(&w, &out, &len) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    return respond_raw(rs, 200, "text/csv; charset=utf-8", out, len);
}
