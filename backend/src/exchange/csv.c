/* Reading CSV: encoding detection, delimiter detection and RFC 4180 records (csv.h). */
#include "exchange/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static csv_status fail(csv_error *err, csv_status s, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static csv_status fail(csv_error *err, csv_status s, size_t line, const char *fmt, ...)
{
    if (err) {
        err->status = s;
        err->line = line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* Line number (1-based) of byte off: LF, CRLF and a lone CR each end a line. */
static size_t line_of(const char *t, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++) {
        if (t[i] == '\n' || (t[i] == '\r' && (i + 1 >= off || t[i + 1] != '\n')))
            line++;
    }
    return line;
}

/* Length of the longest valid UTF-8 prefix (no overlongs, surrogates or code points above
 * U+10FFFF). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3;
        else
            return i;
        if (n - i <= need)
            return i;
        unsigned c1 = s[i + 1];
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
            (c == 0xF4 && c1 > 0x8F))
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        }
        i += need + 1;
    }
    return n;
}

static int starts_with(const unsigned char *d, size_t n, const char *sig, size_t siglen)
{
    return n >= siglen && memcmp(d, sig, siglen) == 0;
}

/* Files that are plainly not CSV text, recognised by their first bytes. */
static csv_status check_signature(const unsigned char *d, size_t n, csv_error *err)
{
    if (starts_with(d, n, "\xFF\xFE", 2) || starts_with(d, n, "\xFE\xFF", 2))
        return fail(err, CSV_ERR_ENCODING, 0,
                    "Файл в кодировке UTF-16. Сохраните его как CSV в кодировке UTF-8 или "
                    "Windows-1251.");
    if (starts_with(d, n, "PK\x03\x04", 4))
        return fail(err, CSV_ERR_ENCODING, 0,
                    "Это книга Excel (.xlsx) или другой архив, а не CSV. Сохраните таблицу "
                    "как «CSV UTF-8 (разделитель — запятая)» или «CSV (разделитель — точка "
                    "с запятой)».");
    if (starts_with(d, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return fail(err, CSV_ERR_ENCODING, 0,
                    "Это книга Excel (.xls), а не CSV. Сохраните таблицу как CSV.");
    return CSV_OK;
}

/* NUL and control bytes other than tab, CR and LF mean the file is not text. */
static csv_status check_controls(const char *t, size_t n, csv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == 0)
            return fail(err, CSV_ERR_ENCODING, line_of(t, i),
                        "Файл содержит нулевые байты: это не текстовый CSV (возможно, файл в "
                        "UTF-16 или книга Excel). Сохраните таблицу как CSV в UTF-8.");
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
            return fail(err, CSV_ERR_ENCODING, line_of(t, i),
                        "Недопустимый управляющий символ (код 0x%02X): это не текстовый CSV.", c);
    }
    return CSV_OK;
}

static csv_status from_cp1251(arena *a, const char *data, size_t len, char **out, size_t *outlen,
                              csv_error *err)
{
    /* Every Windows-1251 byte becomes at most three bytes of UTF-8. */
    if (len > (SIZE_MAX - 1) / 3)
        return fail(err, CSV_ERR_NOMEM, 0, "Файл слишком большой.");
    char *buf = arena_alloc(a, 3 * len + 1);
    if (!buf)
        return fail(err, CSV_ERR_NOMEM, 0, "Недостаточно памяти для обработки файла.");
    iconv_t cd = iconv_open("UTF-8", "CP1251");
    if (cd == (iconv_t)-1)
        return fail(err, CSV_ERR_ENCODING, 0,
                    "Перекодировка из Windows-1251 недоступна на сервере. Сохраните файл в "
                    "кодировке UTF-8.");
    char *in = (char *)(uintptr_t)data;
    size_t inleft = len, outleft = 3 * len;
    char *o = buf;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    int e = errno;
    iconv_close(cd);
    if (r == (size_t)-1) {
        size_t off = (size_t)(in - data);
        if (e == EILSEQ || e == EINVAL)
            return fail(err, CSV_ERR_ENCODING, line_of(data, off),
                        "Файл не в кодировке UTF-8 и не в Windows-1251 (байт 0x%02X не "
                        "соответствует ни одной из них). Сохраните файл как CSV в UTF-8.",
                        off < len ? (unsigned char)data[off] : 0);
        return fail(err, CSV_ERR_NOMEM, 0, "Не удалось перекодировать файл из Windows-1251.");
    }
    *o = '\0';
    *out = buf;
    *outlen = (size_t)(o - buf);
    return CSV_OK;
}

csv_status csv_decode(arena *a, const char *data, size_t len, const char **out, size_t *outlen,
                      csv_encoding *enc, csv_error *err)
{
    const unsigned char *d = (const unsigned char *)data;
    csv_status s = check_signature(d, len, err);
    if (s != CSV_OK)
        return s;
    int bom = starts_with(d, len, "\xEF\xBB\xBF", 3);
    if (bom) {
        data += 3;
        d += 3;
        len -= 3;
    }
    if ((s = check_controls(data, len, err)) != CSV_OK)
        return s;
    size_t valid = utf8_valid_prefix(d, len);
    if (valid == len) {
        char *copy = arena_strndup(a, data, len);
        if (!copy)
            return fail(err, CSV_ERR_NOMEM, 0, "Недостаточно памяти для обработки файла.");
        *out = copy;
        *outlen = len;
        *enc = bom ? CSV_UTF8_BOM : CSV_UTF8;
        return CSV_OK;
    }
    if (bom)
        return fail(err, CSV_ERR_ENCODING, line_of(data, valid),
                    "Файл помечен как UTF-8, но содержит недопустимую последовательность "
                    "байтов. Сохраните его заново как CSV в UTF-8.");
    char *conv = NULL;
    size_t convlen = 0;
    if ((s = from_cp1251(a, data, len, &conv, &convlen, err)) != CSV_OK)
        return s;
    *out = conv;
    *outlen = convlen;
    *enc = CSV_CP1251;
    return CSV_OK;
}

char csv_detect_delimiter(const char *t, size_t n)
{
    size_t i = 0, semi = 0, comma = 0, tab = 0;
    int quoted = 0;
    while (i < n && (t[i] == '\r' || t[i] == '\n'))
        i++;
    for (; i < n; i++) {
        char c = t[i];
        if (c == '"') {
            quoted = !quoted; /* "" inside quotes toggles twice */
            continue;
        }
        if (quoted)
            continue;
        if (c == '\r' || c == '\n')
            break;
        semi += c == ';';
        comma += c == ',';
        tab += c == '\t';
    }
    if (semi >= comma && semi >= tab)
        return ';';
    return comma >= tab ? ',' : '\t';
}

/* ---------------------------------------------------------------- records */

typedef struct {
    arena *a;
    const char *t;
    size_t n, pos, line;
    char delim;
    size_t max_fields, max_field_len, max_records;
    char *out; /* field bytes, each NUL-terminated; never more than n + 2 in all */
    size_t o;
    char **fields; /* the current record's fields (max_fields) */
    size_t *lens;
    csv_doc *doc;
    size_t cap; /* of doc->records */
    csv_error *err;
} parser;

static const char *delim_name(char d)
{
    return d == ';' ? "«;»" : d == ',' ? "«,»" : "табуляция";
}

/* Consumes a line break at pos (LF, CRLF or a lone CR). */
static void skip_break(parser *p)
{
    if (p->t[p->pos] == '\r' && p->pos + 1 < p->n && p->t[p->pos + 1] == '\n')
        p->pos++;
    p->pos++;
    p->line++;
}

static csv_status quoted_field(parser *p, size_t *flen)
{
    size_t open_line = p->line;
    p->pos++;
    for (;;) {
        if (p->pos >= p->n)
            return fail(p->err, CSV_ERR_QUOTE, open_line,
                        "Кавычка, открытая в этой строке, не закрыта до конца файла.");
        char c = p->t[p->pos];
        if (c == '"') {
            if (p->pos + 1 < p->n && p->t[p->pos + 1] == '"') {
                p->pos++;
            } else {
                p->pos++;
                break;
            }
        } else if (c == '\n' || (c == '\r' && (p->pos + 1 >= p->n || p->t[p->pos + 1] != '\n'))) {
            p->line++;
        }
        if (*flen >= p->max_field_len)
            return fail(p->err, CSV_ERR_LIMIT, open_line, "Значение длиннее %zu байт.",
                        p->max_field_len);
        p->out[p->o + (*flen)++] = c;
        p->pos++;
    }
    /* Spaces after the closing quote are tolerated; anything else is not. */
    while (p->pos < p->n && (p->t[p->pos] == ' ' || p->t[p->pos] == '\t') &&
           p->t[p->pos] != p->delim)
        p->pos++;
    if (p->pos < p->n && p->t[p->pos] != p->delim && p->t[p->pos] != '\r' && p->t[p->pos] != '\n')
        return fail(p->err, CSV_ERR_QUOTE, p->line,
                    "После закрывающей кавычки ожидается разделитель %s или конец строки "
                    "(кавычку внутри значения в кавычках нужно удваивать: \"\").",
                    delim_name(p->delim));
    return CSV_OK;
}

static csv_status plain_field(parser *p, size_t *flen)
{
    while (p->pos < p->n) {
        char c = p->t[p->pos];
        if (c == p->delim || c == '\r' || c == '\n')
            break;
        if (*flen >= p->max_field_len)
            return fail(p->err, CSV_ERR_LIMIT, p->line, "Значение длиннее %zu байт.",
                        p->max_field_len);
        p->out[p->o + (*flen)++] = c;
        p->pos++;
    }
    return CSV_OK;
}

static csv_status add_record(parser *p, size_t line, size_t nfields)
{
    csv_doc *d = p->doc;
    if (p->max_records && d->nrecords == p->max_records)
        return fail(p->err, CSV_ERR_TOO_MANY, line, "В файле больше %zu записей.", p->max_records);
    if (d->nrecords == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        csv_record *r = arena_alloc(p->a, cap * sizeof *r);
        if (!r)
            return fail(p->err, CSV_ERR_NOMEM, 0, "Недостаточно памяти для обработки файла.");
        if (d->nrecords)
            memcpy(r, d->records, d->nrecords * sizeof *r);
        d->records = r;
        p->cap = cap;
    }
    csv_record *r = &d->records[d->nrecords];
    r->line = line;
    r->nfields = nfields;
    r->fields = arena_alloc(p->a, nfields * sizeof *r->fields);
    r->lens = arena_alloc(p->a, nfields * sizeof *r->lens);
    if (!r->fields || !r->lens)
        return fail(p->err, CSV_ERR_NOMEM, 0, "Недостаточно памяти для обработки файла.");
    memcpy(r->fields, p->fields, nfields * sizeof *r->fields);
    memcpy(r->lens, p->lens, nfields * sizeof *r->lens);
    d->nrecords++;
    return CSV_OK;
}

static csv_status record(parser *p)
{
    size_t line = p->line, nf = 0;
    for (;;) {
        if (nf == p->max_fields)
            return fail(p->err, CSV_ERR_LIMIT, line, "В строке больше %zu значений.",
                        p->max_fields);
        size_t flen = 0;
        csv_status s =
            (p->pos < p->n && p->t[p->pos] == '"') ? quoted_field(p, &flen) : plain_field(p, &flen);
        if (s != CSV_OK)
            return s;
        p->fields[nf] = p->out + p->o;
        p->lens[nf] = flen;
        p->out[p->o + flen] = '\0';
        p->o += flen + 1;
        nf++;
        if (p->pos < p->n && p->t[p->pos] == p->delim) {
            p->pos++;
            continue;
        }
        if (p->pos < p->n)
            skip_break(p);
        return add_record(p, line, nf);
    }
}

csv_status csv_parse_text(arena *a, const char *text, size_t len, const csv_options *opt,
                          csv_doc *doc, csv_error *err)
{
    memset(doc, 0, sizeof *doc);
    parser p = {.a = a, .t = text, .n = len, .line = 1, .doc = doc, .err = err};
    p.delim = opt && opt->delimiter ? opt->delimiter : csv_detect_delimiter(text, len);
    p.max_fields = opt && opt->max_fields ? opt->max_fields : CSV_DEFAULT_MAX_FIELDS;
    p.max_field_len = opt && opt->max_field_len ? opt->max_field_len : CSV_DEFAULT_MAX_FIELD_LEN;
    p.max_records = opt ? opt->max_records : 0;
    doc->delimiter = p.delim;
    if (len > SIZE_MAX - 2)
        return fail(err, CSV_ERR_NOMEM, 0, "Файл слишком большой.");
    p.out = arena_alloc(a, len + 2);
    p.fields = arena_alloc(a, p.max_fields * sizeof *p.fields);
    p.lens = arena_alloc(a, p.max_fields * sizeof *p.lens);
    if (!p.out || !p.fields || !p.lens)
        return fail(err, CSV_ERR_NOMEM, 0, "Недостаточно памяти для обработки файла.");
    while (p.pos < p.n) {
        char c = p.t[p.pos];
        if (c == '\r' || c == '\n') { /* an empty line */
            skip_break(&p);
            continue;
        }
        csv_status s = record(&p);
        if (s != CSV_OK)
            return s;
    }
    if (doc->nrecords == 0)
        return fail(err, CSV_ERR_EMPTY, 0, "Файл пустой.");
    return CSV_OK;
}

csv_status csv_parse(arena *a, const char *data, size_t len, const csv_options *opt, csv_doc *doc,
                     csv_error *err)
{
    const char *text;
    size_t tlen;
    csv_encoding enc = CSV_UTF8;
    memset(doc, 0, sizeof *doc);
    csv_status s = csv_decode(a, data, len, &text, &tlen, &enc, err);
    if (s != CSV_OK)
        return s;
    s = csv_parse_text(a, text, tlen, opt, doc, err);
    doc->encoding = enc;
    return s;
}
