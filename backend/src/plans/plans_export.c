/* GET /units/{id}/plan.xlsx and plan.csv: the tasks of the plan, with the list's filters, as
 * a workbook (numbers and dates as cells of their kind, bold header, widths from the
 * content) or as CSV (UTF-8 with BOM, ?sep=; or ?sep=,). */
#include "plans/handlers.h"

#include "http/attachment.h"
#include "plans/plans.h"
#include "exchange/sheet_download.h"

#include <string.h>

static const char *const HEADER[] = {
    "№",    "Организация", "Показатель", "Мероприятие", "Ответственный",
    "Срок", "Статус",      "Просрочено", "Результат",   "Подтверждение",
};

static const char *status_ru(const char *s)
{
    return strcmp(s, "planned") == 0       ? "Запланировано"
           : strcmp(s, "in_progress") == 0 ? "Выполняется"
           : strcmp(s, "done") == 0        ? "Выполнено"
                                           : "Отменено";
}

/* "31.05.2030" from "2030-05-31". */
static const char *date_ru(arena *a, const char *iso)
{
    if (!iso || strlen(iso) != 10)
        return iso;
    return arena_sprintf(a, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

static sheet_table *plan_table(request *rq, const scope_unit *u, const db_result *r,
                               const char *date)
{
    sheet_table *t = sheet_table_new(rq->a, "План", sizeof HEADER / sizeof HEADER[0]);
    if (!t || sheet_table_title(t, "План повышения качества") != 0 ||
        sheet_table_title(t, u->name) != 0 ||
        sheet_table_title(t, arena_sprintf(rq->a, "Выгружено %s", date_ru(rq->a, date))) != 0)
        return NULL;
    for (size_t c = 0; c < sizeof HEADER / sizeof HEADER[0]; c++)
        if (sheet_table_header(t, c, HEADER[c]) != 0)
            return NULL;
    for (size_t i = 0; i < r->nrows; i++) {
        if (sheet_table_row(t) != 0 || sheet_table_number(t, (double)(i + 1)) != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_UNIT_NAME)) != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_INDICATOR)) != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_ACTION)) != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_RESPONSIBLE)) != 0 ||
            sheet_table_text(t, date_ru(rq->a, db_cell(r, i, PLAN_COL_DUE))) != 0 ||
            sheet_table_text(t, status_ru(db_cell(r, i, PLAN_COL_STATUS))) != 0 ||
            sheet_table_text(t, db_cell_int(r, i, PLAN_COL_OVERDUE, 0) ? "да" : "") != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_RESULT)) != 0 ||
            sheet_table_text(t, db_cell(r, i, PLAN_COL_EVIDENCE)) != 0)
            return NULL;
    }
    return t;
}

static int export_plan(request *rq, response *rs, int xlsx)
{
    char sep = ';';
    if (!xlsx && attachment_csv_sep(rq, rs, &sep) != 0)
        return rs->status;
    scope_unit u;
    db_result r;
    if (plan_tasks_query(rq, rs, &u, &r) != 0)
        return rs->status;
    char date[11];
    sheet_table *t = NULL;
    const char *ascii = arena_sprintf(rq->a, "plan-%llu", (unsigned long long)u.id);
    const char *utf8 = arena_sprintf(rq->a, "%s — план повышения качества", u.name);
    if (attachment_date(date) != 0 || !ascii || !utf8 || !(t = plan_table(rq, &u, &r, date)))
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    const sheet_download_spec d = {ascii, utf8, xlsx, sep, "plan export"};
    return sheet_download(rq, rs, &d, &t, 1);
}

int handle_plan_xlsx(request *rq, response *rs)
{
    return export_plan(rq, rs, 1);
}

int handle_plan_csv(request *rq, response *rs)
{
    return export_plan(rq, rs, 0);
}
