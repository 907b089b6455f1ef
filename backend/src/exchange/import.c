/* The parts the CSV imports share (import.h). */
#include "exchange/import.h"

#include "http/form_text.h"
#include "auth/audit.h"
#include "auth/principal.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

static const char *const ROLE_TITLES[ROLE_COUNT] = {
    [ROLE_ADMINISTRATOR] = "администратор",
    [ROLE_REGION_COORDINATOR] = "региональный координатор",
    [ROLE_MUNICIPAL_COORDINATOR] = "муниципальный координатор",
    [ROLE_DOO_COORDINATOR] = "координатор ДОО",
    [ROLE_TEACHER] = "педагог", /* as the UI says; "воспитатель" is accepted too */
    [ROLE_EXPERT] = "эксперт",
};

const char *import_role_title(role r)
{
    return (r >= 0 && r < ROLE_COUNT) ? ROLE_TITLES[r] : "?";
}

const char *import_level_wanted(role r)
{
    switch (r) {
    case ROLE_ADMINISTRATOR:
    case ROLE_REGION_COORDINATOR:
        return "регион";
    case ROLE_MUNICIPAL_COORDINATOR:
        return "муниципалитет";
    case ROLE_EXPERT:
        return "муниципалитет или регион";
    default:
        return "детский сад";
    }
}

int import_role_parse(arena *a, const char *cell, role *out)
{
    const char *key = csv_fold(a, cell, 1);
    for (int r = 0; key && r < ROLE_COUNT; r++) {
        const char *wire = csv_fold(a, role_name((role)r), 1);
        const char *title = csv_fold(a, ROLE_TITLES[r], 1);
        if ((wire && strcmp(key, wire) == 0) || (title && strcmp(key, title) == 0)) {
            *out = (role)r;
            return 0;
        }
    }
    const char *teacher = csv_fold(a, "воспитатель", 1);
    if (key && teacher && strcmp(key, teacher) == 0) {
        *out = ROLE_TEACHER;
        return 0;
    }
    return -1;
}

/* dry_run: absent or 0/false = apply; 1/true or given without a value = check only. */
static int parse_dry_run(const char *v, int *out)
{
    if (!v || strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0) {
        *out = 0;
        return 0;
    }
    if (!*v || strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0) {
        *out = 1;
        return 0;
    }
    return -1;
}

static int out_of_memory(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_INTERNAL, "Недостаточно памяти для обработки файла.");
}

void import_error(import_run *run, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vsprintf(run->rq->a, fmt, ap);
    va_end(ap);
    json_t *item = msg ? json_pack("{s:I, s:s}", "line", (json_int_t)line, "message", msg) : NULL;
    if (!item || json_array_append_new(run->errors, item) != 0)
        run->nomem = 1;
}

size_t import_error_count(const import_run *run)
{
    return json_array_size(run->errors);
}

void import_add(import_run *run, json_t *list, json_t *item)
{
    if (!item || json_array_append_new(list, item) != 0)
        run->nomem = 1;
}

int import_start(request *rq, response *rs, import_run *run, const csv_column *cols, size_t ncols,
                 int *index)
{
    memset(run, 0, sizeof *run);
    run->rq = rq;
    for (size_t i = 0; i < ncols; i++)
        index[i] = -1;
    if (parse_dry_run(uri_param_get(&rq->args, "dry_run"), &run->dry_run) != 0) {
        json_t *p = problem_of(PK_BAD_REQUEST, "Параметр dry_run принимает значения 1 или 0.");
        problem_add_error(p, "dry_run", "ожидается 1 (только проверить) или 0 (применить)");
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    run->doc = arena_json(rq->a, json_pack("{s:b, s:b, s:[], s:[], s:I, s:[]}", "dry_run",
                                           run->dry_run, "applied", 0, "create", "update",
                                           "unchanged", (json_int_t)0, "errors"));
    if (!run->doc) {
        out_of_memory(rq, rs);
        return -1;
    }
    run->create = json_object_get(run->doc, "create");
    run->update = json_object_get(run->doc, "update");
    run->errors = json_object_get(run->doc, "errors");

    csv_options opt = {.max_fields = CSV_DEFAULT_MAX_FIELDS,
                       .max_field_len = CSV_DEFAULT_MAX_FIELD_LEN,
                       .max_records = IMPORT_MAX_ROWS + 1};
    csv_error e;
    memset(&e, 0, sizeof e);
    csv_status s = csv_parse(rq->a, rq->body ? rq->body : "", rq->body_len, &opt, &run->csv, &e);
    if (s == CSV_OK)
        s = csv_map_header(rq->a, &run->csv.records[0], cols, ncols, index, &e);
    if (s == CSV_ERR_NOMEM) {
        out_of_memory(rq, rs);
        return -1;
    }
    if (s == CSV_ERR_TOO_MANY)
        import_error(run, e.line, "В файле больше %d строк с данными: разделите его на части.",
                     IMPORT_MAX_ROWS);
    else if (s != CSV_OK)
        import_error(run, e.line, "%s", e.message);
    if (s != CSV_OK)
        return 0;
    size_t rows = 0;
    for (size_t i = 1; i < run->csv.nrecords; i++)
        rows += !import_blank(&run->csv.records[i]);
    if (rows == 0) {
        import_error(run, run->csv.records[0].line,
                     "В файле нет строк с данными, только заголовок.");
        return 0;
    }
    run->parsed = 1;
    return 0;
}

int import_blank(const csv_record *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (*csv_trim(r->fields[i]))
            return 0;
    }
    return 1;
}

const char *import_cell(const csv_record *r, int index)
{
    if (index < 0 || (size_t)index >= r->nfields)
        return "";
    return csv_unguard(csv_trim(r->fields[index]));
}

int import_check_width(import_run *run, const csv_record *r)
{
    size_t width = run->csv.records[0].nfields;
    for (size_t i = width; i < r->nfields; i++) {
        if (*csv_trim(r->fields[i])) {
            import_error(run, r->line,
                         "В строке больше значений, чем столбцов в заголовке (лишнее значение "
                         "в позиции %zu).",
                         i + 1);
            return -1;
        }
    }
    return 0;
}

int import_check_text(import_run *run, size_t line, const char *label, const char *value,
                      size_t max_chars, int required)
{
    if (required && !*value) {
        import_error(run, line, "Не заполнен столбец «%s».", label);
        return -1;
    }
    if (form_utf8_length(value) > max_chars) {
        import_error(run, line, "Значение в столбце «%s» длиннее %zu символов.", label, max_chars);
        return -1;
    }
    if (!form_is_single_line(value)) {
        import_error(run, line,
                     "Значение в столбце «%s» содержит перевод строки, табуляцию или другой "
                     "управляющий символ.",
                     label);
        return -1;
    }
    return 0;
}

const char *import_shown(arena *a, const char *value)
{
    size_t chars = 0, i = 0;
    for (; value[i]; i++) {
        if (((unsigned char)value[i] & 0xC0) != 0x80 && ++chars > 80)
            break;
    }
    if (!value[i])
        return value;
    const char *s = arena_sprintf(a, "%.*s…", (int)i, value);
    return s ? s : "";
}

int import_same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

const char *import_new_value(const char *file, const char *stored)
{
    if (!file)
        return stored;
    return *file ? file : NULL;
}

int import_diff(json_t *changes, const char *field, const char *old, const char *new_value)
{
    if (import_same(old, new_value))
        return 0;
    json_t *pair = json_pack("[s?, s?]", old, new_value);
    return pair && json_object_set_new(changes, field, pair) == 0 ? 0 : -1;
}

db_val import_opt(const char *s)
{
    return s ? DB_STR(s) : DB_NULL;
}

int import_finish(request *rq, response *rs, import_run *run, int applied)
{
    if (run->nomem || json_object_set_new(run->doc, "applied", json_boolean(applied)) != 0 ||
        json_object_set_new(run->doc, "unchanged", json_integer(run->unchanged)) != 0)
        return out_of_memory(rq, rs);
    int status = (!run->dry_run && import_error_count(run) > 0) ? 422 : 200;
    return respond_json(rq, rs, status, json_incref(run->doc));
}

int import_apply(import_run *run, response *rs, const import_apply_step *step)
{
    request *rq = run->rq;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = step->apply(step->plan);
    if (s == DB_OK)
        s = audit_write(rq, step->action, NULL, 0, rq->me->org_unit_id,
                        json_pack("{s:I, s:I, s:I}", "create", (json_int_t)step->n_create, "update",
                                  (json_int_t)step->n_update, "unchanged",
                                  (json_int_t)run->unchanged));
    return reply_tx_end(rq, rs, s, problem_of(PK_CONFLICT, step->taken));
}

const char *import_fold(import_plan *p, const char *s)
{
    const char *k = csv_fold(p->rq->a, s ? s : "", 0);
    if (!k)
        p->nomem = 1;
    return k ? k : "";
}

void import_put(import_plan *p, strmap *m, const char *key, void *value)
{
    if (strmap_put(m, key, value) != 0)
        p->nomem = 1;
}

void *import_alloc(import_plan *p, size_t size)
{
    void *v = arena_alloc(p->rq->a, size);
    if (!v)
        p->nomem = 1;
    return v;
}

static db_status load_rows(import_plan *p, const import_loader *l, void *plan)
{
    size_t n = 0;
    for (const char *c = strchr(l->sql, '?'); c; c = strchr(c + 1, '?'))
        n++;
    db_val me = DB_INT(p->rq->me->user_id), v[] = {me, me, me};
    if (n > ARRAY_LEN(v))
        return DB_ERROR;
    db_result r;
    db_status s = db_exec(p->rq->db, p->rq->a, l->sql, v, n, &r);
    for (size_t i = 0; s == DB_OK && i < r.nrows && !p->nomem; i++) {
        void *item = import_alloc(p, l->size);
        if (!item)
            break;
        db_row_read(&r, i, l->fields, l->nfields, item);
        if (l->keep(plan, &r, i, item) != 0)
            s = DB_ERROR;
    }
    return s;
}

/* The cells of record r by column (NULL for a column the file lacks), each checked as a
 * text of its column after the record's width; 1 when any check failed (reported). */
static int read_cells(import_run *run, const import_kind *k, const int *idx, const csv_record *r,
                      const char **cell)
{
    int bad = import_check_width(run, r) != 0;
    for (size_t c = 0; c < k->ncolumns; c++) {
        cell[c] = idx[c] >= 0 ? import_cell(r, idx[c]) : NULL;
        bad |= import_check_text(run, r->line, k->texts[c].label, cell[c] ? cell[c] : "",
                                 k->texts[c].max_chars, k->columns[c].required) != 0;
    }
    return bad;
}

/* Runs the loaders, then plans each row of the file that is not blank, stopping at the first
 * failure. Answers a database failure and returns -1. */
static int plan_rows(import_plan *p, response *rs, const import_kind *k, const int *idx)
{
    import_run *run = p->run;
    db_status s = DB_OK;
    for (size_t i = 0; i < k->nloaders && s == DB_OK && !p->nomem; i++)
        s = load_rows(p, &k->loaders[i], p);
    const char *cell[IMPORT_MAX_COLUMNS];
    for (size_t i = 1; s == DB_OK && i < run->csv.nrecords && !p->nomem && p->db == DB_OK; i++) {
        const csv_record *r = &run->csv.records[i];
        if (!import_blank(r)) {
            int bad = read_cells(run, k, idx, r, cell);
            k->plan_row(p, r->line, cell, bad);
        }
    }
    if (s == DB_OK)
        s = p->db;
    if (s != DB_OK)
        return reply_db_error(p->rq, rs, s), -1;
    if (p->nomem)
        run->nomem = 1;
    return 0;
}

int import_handle(request *rq, response *rs, const import_kind *k, import_plan *plan)
{
    import_run run;
    int idx[IMPORT_MAX_COLUMNS];
    if (k->ncolumns > IMPORT_MAX_COLUMNS ||
        import_start(rq, rs, &run, k->columns, k->ncolumns, idx) != 0)
        return rs->status;
    plan->rq = rq;
    plan->run = &run;
    if (run.parsed) {
        if (k->prepare(plan, run.csv.nrecords) != 0)
            plan->nomem = 1;
        if (plan_rows(plan, rs, k, idx) != 0)
            return rs->status;
    }
    int applied = 0;
    if (!run.dry_run && import_error_count(&run) == 0 && !run.nomem) {
        if (k->apply(plan, rs) != 0)
            return rs->status;
        applied = 1;
    }
    return import_finish(rq, rs, &run, applied);
}
