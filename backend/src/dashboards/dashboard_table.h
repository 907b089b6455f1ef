/* The dashboard views (docs/api-dashboards.md) flattened into tables for the exports: the
 * JSON document a dashboard_*_json function builds becomes one or more sheet_tables with
 * the unit, the campaign and the instrument in the title block. Pure: no I/O. */
#ifndef VSOK_DASHBOARD_TABLE_H
#define VSOK_DASHBOARD_TABLE_H

#include "dashboards/dashboard.h"
#include "exchange/sheet_table.h"

#include <jansson.h>
#include <stddef.h>

#define DASH_TABLES_MAX 2

/* "children", "breakdown", … (the path segment and the ASCII file name). */
const char *dash_view_name(dash_view v);
/* The view in Russian, for the file name and the sheet ("Дети", …). */
const char *dash_view_title(dash_view v);

/* Fills tables[0…*n-1] from the view's JSON: the view's main table first (the one a CSV
 * export holds), then any second one (the parents view: the statements). date: the export
 * date for the title block (YYYY-MM-DD). Returns 0, or -1 when out of memory. */
int dashboard_tables(arena *a, dash_view v, json_t *doc, const char *date,
                     sheet_table *tables[DASH_TABLES_MAX], size_t *n);

#endif
