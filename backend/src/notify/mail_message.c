#include "notify/mail_message.h"

#include <openssl/evp.h>
#include <string.h>

static int header_safe(const char *s)
{
    return s && *s && !strpbrk(s, "\r\n");
}

/* Standard base64 of len bytes into a new arena string. */
static char *b64(arena *a, const char *in, size_t len)
{
    char *out = arena_alloc(a, 4 * ((len + 2) / 3) + 1);
    if (!out)
        return NULL;
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)in, (int)len);
    return out;
}

/* "=?UTF-8?B?...?=" words of at most 75 characters, joined by CRLF SP (folded header). A
 * word never splits a UTF-8 sequence. */
static char *encoded_subject(arena *a, const char *s)
{
    size_t n = strlen(s), cap = 16 + n * 2 + (n / 30 + 1) * 16;
    char *out = arena_alloc(a, cap), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n || i == 0;) {
        size_t take = n - i > 39 ? 39 : n - i; /* 39 bytes: 52 base64 chars + 12, a line <= 78 */
        while (take > 0 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        char *w = b64(a, s + i, take);
        if (!w)
            return NULL;
        p += sprintf(p, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", w);
        i += take;
        if (n == 0)
            break;
    }
    return out;
}

char *mail_message(arena *a, const char *from, const char *to, const char *subject,
                   const char *body, time_t when, unsigned long long id,
                   const char *message_id_host, size_t *len)
{
    if (!header_safe(from) || !header_safe(to) || !subject || !body)
        return NULL;
    const char *subj = encoded_subject(a, strpbrk(subject, "\r\n") ? "" : subject);
    size_t blen = strlen(body);
    char *enc = b64(a, body, blen);
    if (!subj || !enc)
        return NULL;
    size_t elen = strlen(enc);
    char *lines = arena_alloc(a, elen + (elen / 76 + 1) * 2 + 1), *q = lines;
    if (!lines)
        return NULL;
    for (size_t i = 0; i < elen; i += 76) {
        size_t k = elen - i > 76 ? 76 : elen - i;
        memcpy(q, enc + i, k);
        q += k;
        *q++ = '\r';
        *q++ = '\n';
    }
    *q = '\0';
    char date[64];
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    char *msg = arena_sprintf(a,
                              "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
                              "Message-ID: <%llu.%lld@%s>\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: text/plain; charset=UTF-8\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n%s",
                              from, to, subj, date, id, (long long)when,
                              header_safe(message_id_host) ? message_id_host : "vsok", lines);
    if (msg && len)
        *len = strlen(msg);
    return msg;
}
