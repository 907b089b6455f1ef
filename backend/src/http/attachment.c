/* Content-Disposition of exported files (attachment.h). */
#include "http/attachment.h"

#include <string.h>
#include <time.h>

char *attachment_ext_value(arena *a, const char *s)
{
    static const char HEX[] = "0123456789ABCDEF";
    char *out = arena_alloc(a, strlen(s) * 3 + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = HEX[*p >> 4];
            *o++ = HEX[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

int attachment_date(char buf[static 11])
{
    time_t now = time(NULL);
    struct tm tm;
    return gmtime_r(&now, &tm) && strftime(buf, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

int attachment_header(request *rq, response *rs, const char *ascii, const char *utf8,
                      const char *ext)
{
    char date[11];
    if (attachment_date(date) != 0)
        return -1;
    char *name = arena_sprintf(rq->a, "%s-%s.%s", utf8, date, ext);
    char *encoded = name ? attachment_ext_value(rq->a, name) : NULL;
    char *value = encoded ? arena_sprintf(rq->a,
                                          "attachment; filename=\"vsok-%s-%s.%s\"; "
                                          "filename*=UTF-8''%s",
                                          ascii, date, ext, encoded)
                          : NULL;
    return value ? response_header(rq->a, rs, "Content-Disposition", value) : -1;
}

int attachment_csv_sep(request *rq, response *rs, char *sep)
{
    const char *v = uri_param_get(&rq->args, "sep");
    if (!v || strcmp(v, ";") == 0) {
        *sep = ';';
        return 0;
    }
    if (strcmp(v, ",") == 0) {
        *sep = ',';
        return 0;
    }
    json_t *p = problem_of(PK_BAD_REQUEST, "Параметр sep принимает значения «;» или «,».");
    problem_add_error(p, "sep", "ожидается ; или ,");
    reply_problem_doc(rq, rs, p);
    return -1;
}
