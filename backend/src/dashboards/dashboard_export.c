/* GET /dashboards/units/{id}/{children,breakdown,completion,parents}.{xlsx,csv}: the table
 * of a dashboard view, with the view's own parameters, as an XLSX workbook (a sheet per
 * table, numbers as numbers) or as CSV (UTF-8 with BOM, ?sep=; by default with decimal
 * commas, or ?sep=, with dots; formula-looking texts guarded). The view's JSON comes from
 * the same dashboard_*_json function as the JSON endpoint, then dashboard_table flattens it. */
#include "http/attachment.h"
#include "dashboards/dashboard.h"
#include "dashboards/dashboard_table.h"
#include "dashboards/handlers.h"
#include "exchange/sheet_download.h"

#include <string.h>

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
    sheet_download_spec d = {
        .ascii =
            arena_sprintf(rq->a, "unit-%llu-%s", (unsigned long long)q.unit.id, dash_view_name(v)),
        .utf8 = arena_sprintf(rq->a, "%s — %s", unit ? unit : "", dash_view_title(v)),
        .xlsx = xlsx,
        .sep = sep,
        .what = "dashboard export"};
    if (attachment_date(date) != 0 || !d.ascii || !d.utf8 ||
        dashboard_tables(rq->a, v, doc, date, tables, &n) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    return sheet_download(rq, rs, &d, tables, n);
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
