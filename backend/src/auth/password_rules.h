/* The rule for new passwords (NIST SP 800-63B, 5.1.1.2; docs/api-org.md, "Sign-in and
 * passwords"): 8 to 256 characters, and none that an attacker tries first: a common or
 * breached password (backend/data/common-passwords.txt, compared case-insensitively), the
 * login or a password containing it, the name of the system (vsok, всок), one character
 * repeated or a plain run such as 12345678 or abcdefgh. Pure: unit-tested in
 * tests/unit/test_password_rules.c. */
#ifndef VSOK_PASSWORD_RULES_H
#define VSOK_PASSWORD_RULES_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 8

typedef enum {
    PASSWORD_RULE_OK = 0,
    PASSWORD_RULE_LENGTH,  /* under 8 characters, over 256 bytes, not UTF-8 text, a NUL */
    PASSWORD_RULE_LOGIN,   /* the login, or contains it */
    PASSWORD_RULE_COMMON,  /* on the list of common passwords */
    PASSWORD_RULE_CONTEXT, /* contains the name of the system */
    PASSWORD_RULE_TRIVIAL, /* one character repeated, or a run of consecutive characters */
} password_rule;

/* Checks pw (len bytes) for an account with login (NULL: not known yet). */
password_rule password_rule_check(const char *pw, size_t len, const char *login);

/* The Russian message for the field's error of a 422. */
const char *password_rule_message(password_rule r);

/* The number of entries of the common-password list (for tests). */
size_t password_rule_list_size(void);

#endif
