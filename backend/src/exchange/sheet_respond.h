/* The answer of an export built as sheet tables: the tables as an XLSX workbook, or the first
 * as CSV (UTF-8 with BOM). The caller has set the attachment's headers. */
#ifndef VSOK_SHEET_RESPOND_H
#define VSOK_SHEET_RESPOND_H

#include "exchange/sheet_table.h"
#include "http/http.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Answers 200 with the workbook of the n tables (xlsx; written through a temporary file in
 * the uploads' tmp/ folder) or with the CSV of tables[0] separated by sep; 500 when it
 * cannot (what names the export in the log line). */
int sheet_tables_respond(request *rq, response *rs, const sheet_table *const *tables, size_t n,
                         int xlsx, char sep, const char *what);

#endif
