/* GET /dashboards/units/{id}/{children,breakdown,completion,parents}.{xlsx,csv}: the table
 * of a dashboard view, with the view's own parameters, as an XLSX workbook (a sheet per
 * table, numbers as numbers) or as CSV (UTF-8 with BOM, ?sep=; by default with decimal
 * commas, or ?sep=, with dots; formula-looking texts guarded). The view's JSON comes from
 * the same dashboard_*_json function as the JSON endpoint, then dashboard_table flattens it. */
#include "http/attachment.h"
#include "exchange/csv.h"
#include "dashboards/dashboard.h"
#include "dashboards/dashboard_table.h"
#include "dashboards/handlers.h"
#include "core/log.h"
#include "exchange/xlsx_table.h"

#include <errno.h>
#include <string.h>
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

static int export_view(request *rq, response *rs, dash_view v, int xlsx)
{
    char sep = ';';
    if (!xlsx && attachment_csv_sep(rq, rs, &sep) != 0)
        return rs->status;
    dash_query q;
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    json_t *doc = NULL;
    db_status s = dash_view_builder(v)(rq, &q, &doc);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    arena_json(rq->a, doc);

    char date[11];
    sheet_table *tables[DASH_TABLES_MAX];
    size_t n = 0;
    const char *unit = json_string_value(json_object_get(json_object_get(doc, "unit"), "name"));
    const char *ascii =
        arena_sprintf(rq->a, "unit-%llu-%s", (unsigned long long)q.unit.id, dash_view_name(v));
    const char *utf8 = arena_sprintf(rq->a, "%s — %s", unit ? unit : "", dash_view_title(v));
    if (attachment_date(date) != 0 || !ascii || !utf8 ||
        dashboard_tables(rq->a, v, doc, date, tables, &n) != 0 ||
        attachment_header(rq, rs, ascii, utf8, xlsx ? "xlsx" : "csv") != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    const char *out = NULL;
    size_t len = 0;
    if (xlsx) {
        char err[256] = "";
        const char *dir = tmp_dir(rq);
        if (!dir || xlsx_table_render(rq->a, dir, (const sheet_table *const *)tables, n, &out, &len,
                                      err, sizeof err) != 0) {
            log_error("dashboard export: %s", dir ? err : "no temporary directory");
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

/* The view of the route as a workbook (….xlsx) or as CSV (….csv). */
int handle_dashboard_export(request *rq, response *rs)
{
    dash_view v;
    const char *ext = "";
    if (dash_route_view(rq, &v, &ext) != 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Нет такого вида панели.");
    return export_view(rq, rs, v, strcmp(ext, "xlsx") == 0);
}
