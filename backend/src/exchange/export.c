/* GET /export/units.csv and GET /export/users.csv: the caller's scope in the columns of the
 * imports, so that an exported file imports back unchanged. UTF-8 with BOM; cells that a
 * spreadsheet would run as formulas get a leading ' (the import removes it again). */
#include "http/attachment.h"
#include "auth/principal.h"
#include "exchange/csv.h"
#include "exchange/handlers.h"
#include "exchange/import.h"

#include <string.h>

typedef const char *(*cell_fn)(const db_result *r, size_t row, size_t col);

static const char *plain_cell(const db_result *r, size_t row, size_t col)
{
    return db_cell(r, row, col);
}

static const char *role_cell(const db_result *r, size_t row, size_t col)
{
    role ro;
    const char *v = db_cell(r, row, col);
    return role_parse(v, &ro) == 0 ? import_role_title(ro) : v;
}

/* Writes the header and every row; column cells[i] of the result gives cell i. */
static int send_csv(request *rq, response *rs, char sep, const char *const *header, size_t ncols,
                    const db_result *r, const cell_fn *cells, const char *ascii, const char *utf8)
{
    csv_writer w;
    csv_writer_init(&w, rq->a, sep);
    int rc = csv_write_bom(&w);
    for (size_t c = 0; c < ncols; c++)
        rc |= csv_write_cell(&w, header[c]);
    rc |= csv_end_row(&w);
    for (size_t i = 0; i < r->nrows && rc == 0; i++) {
        for (size_t c = 0; c < ncols; c++)
            rc |= csv_write_cell(&w, cells[c](r, i, c));
        rc |= csv_end_row(&w);
    }
    const char *out;
    size_t len;
    if (rc != 0 || csv_writer_finish(&w, &out, &len) != 0 ||
        attachment_header(rq, rs, ascii, utf8, "csv") != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для выгрузки.");
    return respond_raw(rs, 200, "text/csv; charset=utf-8", out, len);
}

/* One export: its query over the caller's scope (one parameter, the caller's user id), the
 * header and cells of its six columns, and the file's names. */
typedef struct {
    const char *sql;
    const char *const *header;
    const cell_fn *cells;
    const char *ascii, *utf8;
} export_spec;

/* Reads the rows of e in the caller's scope and answers them as a CSV file. */
static int export_scoped(request *rq, response *rs, const export_spec *e)
{
    char sep;
    if (attachment_csv_sep(rq, rs, &sep) != 0)
        return rs->status;
    db_val v[] = {DB_INT(rq->me->user_id)};
    db_result r;
    db_status s = DB_EXEC(rq->db, rq->a, e->sql, v, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return send_csv(rq, rs, sep, e->header, 6, &r, e->cells, e->ascii, e->utf8);
}

/* The units: one row per kindergarten and active group, under its municipality. */
static const export_spec UNITS = {
    "SELECT COALESCE(NULLIF(m.code, ''), m.name), k.code, k.name, "
    "k.short_name, k.address, g.name FROM org_units k "
    "JOIN org_units m ON m.id = k.parent_id "
    "LEFT JOIN org_units g ON g.parent_id = k.id AND g.level = 'group' "
    "AND g.active = 1 "
    "WHERE k.level = 'kindergarten' AND k.active = 1 AND " SCOPE_SQL(
        "k") " ORDER BY m.name, m.id, k.name, k.id, g.name, g.id",
    (const char *const[]){"Муниципалитет", "Код", "Наименование", "Краткое наименование", "Адрес",
                          "Группа"},
    (const cell_fn[]){plain_cell, plain_cell, plain_cell, plain_cell, plain_cell, plain_cell},
    "units", "организации"};

/* The active users, their role by its title and their organisation by its code. */
static const export_spec USERS = {
    "SELECT u.login, u.full_name, u.role, COALESCE(NULLIF(o.code, ''), "
    "o.name), u.email, u.phone FROM users u "
    "JOIN org_units o ON o.id = u.org_unit_id "
    "WHERE u.active = 1 AND " SCOPE_SQL("o") " ORDER BY u.login, u.id",
    (const char *const[]){"Логин", "ФИО", "Роль", "Код организации", "Email", "Телефон"},
    (const cell_fn[]){plain_cell, plain_cell, role_cell, plain_cell, plain_cell, plain_cell},
    "users", "пользователи"};

int handle_export_units(request *rq, response *rs)
{
    return export_scoped(rq, rs, &UNITS);
}

int handle_export_users(request *rq, response *rs)
{
    return export_scoped(rq, rs, &USERS);
}
