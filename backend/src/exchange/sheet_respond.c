#include "exchange/sheet_respond.h"

#include "core/log.h"
#include "exchange/csv.h"
#include "exchange/xlsx_table.h"

#include <errno.h>
#include <sys/stat.h>

int sheet_tables_respond(request *rq, response *rs, const sheet_table *const *tables, size_t n,
                         int xlsx, char sep, const char *what)
{
    const char *out = NULL;
    size_t len = 0;
    if (xlsx) {
        char err[256] = "";
        char *dir = arena_sprintf(rq->a, "%s/tmp", rq->cfg->uploads_dir);
        if (!dir || (mkdir(dir, 0700) != 0 && errno != EEXIST) ||
            xlsx_table_render(rq->a, dir, tables, n, &out, &len, err, sizeof err) != 0) {
            log_error("%s export: %s", what, err[0] ? err : "no temporary directory");
            return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подготовить файл Excel.");
        }
        return respond_raw(rs, 200, XLSX_TYPE, out, len);
    }
    csv_writer w;
    csv_writer_init(&w, rq->a, sep);
    if (csv_write_bom(&w) != 0 || sheet_table_csv(tables[0], &w, sep == ';') != 0 ||
        csv_writer_finish(&w, &out, &len) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    return respond_raw(rs, 200, "text/csv; charset=utf-8", out, len);
}
