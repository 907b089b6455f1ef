/* An e-mail message as RFC 5322 text: UTF-8 subject as an RFC 2047 encoded word, body in
 * base64 lines of 76 characters, CRLF line ends. Pure: no I/O. */
#ifndef VSOK_MAIL_MESSAGE_H
#define VSOK_MAIL_MESSAGE_H

#include "core/arena.h"

#include <stddef.h>
#include <time.h>

/* Returns the message (NUL-terminated, *len its length) or NULL when an address holds a
 * character that could end a header line (CR, LF) or is empty. message_id_host names the
 * sender's host in Message-ID. */
char *mail_message(arena *a, const char *from, const char *to, const char *subject,
                   const char *body, time_t when, unsigned long long id,
                   const char *message_id_host, size_t *len);

#endif
