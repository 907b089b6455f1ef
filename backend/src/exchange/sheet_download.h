/* Tables (sheet_table.h) answered as a download: an XLSX workbook, a sheet per table, or the
 * first table as CSV (UTF-8 with BOM, decimal commas with the separator ';'), under the file
 * names of attachment_header. The dashboard exports use it. */
#ifndef VSOK_SHEET_DOWNLOAD_H
#define VSOK_SHEET_DOWNLOAD_H

#include "exchange/sheet_table.h"
#include "http/http.h"

typedef struct {
    const char *ascii, *utf8; /* the file names (attachment_header) */
    int xlsx;                 /* 1: XLSX, 0: CSV with sep */
    char sep;
    const char *what; /* the export, in the log when a workbook fails ("dashboard export") */
} sheet_download_spec;

/* Answers tables[0…n-1] as the spec says; 500 when out of memory or when the workbook
 * cannot be written. Returns the status. */
int sheet_download(request *rq, response *rs, const sheet_download_spec *d,
                   sheet_table *const *tables, size_t n);

#endif
