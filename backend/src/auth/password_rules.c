#include "auth/password_rules.h"

#include "core/text_table.h"
#include "auth/password.h"

#include <stdlib.h>
#include <string.h>

/* Sorted by bytes, lower case (build/gen/common_passwords.inc, made by backend/build.mk). */
static const char *const COMMON[] = {
#include "common_passwords.inc"
};
#define COMMON_COUNT (sizeof COMMON / sizeof COMMON[0])

/* The system's name in the forms people put it into passwords (lower case). */
static const char *const CONTEXT_WORDS[] = {"vsok", "всок"};

size_t password_rule_list_size(void)
{
    return COMMON_COUNT;
}

/* Lower-cases ASCII and Russian letters of UTF-8 text into out (same length). */
static void fold_case(const char *s, size_t len, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char *o = (unsigned char *)out;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            o[i] = (unsigned char)(c + 32);
        } else if (c == 0xD0 && i + 1 < len && p[i + 1] >= 0x90 && p[i + 1] <= 0x9F) {
            o[i] = 0xD0; /* А..П -> а..п */
            o[i + 1] = (unsigned char)(p[i + 1] + 0x20);
            i++;
        } else if (c == 0xD0 && i + 1 < len && p[i + 1] >= 0xA0 && p[i + 1] <= 0xAF) {
            o[i] = 0xD1; /* Р..Я -> р..я */
            o[i + 1] = (unsigned char)(p[i + 1] - 0x20);
            i++;
        } else if (c == 0xD0 && i + 1 < len && p[i + 1] == 0x81) {
            o[i] = 0xD1; /* Ё -> ё */
            o[i + 1] = 0x91;
            i++;
        } else {
            o[i] = c;
        }
    }
    out[len] = '\0';
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_common(const char *folded)
{
    return bsearch(&folded, COMMON, COMMON_COUNT, sizeof COMMON[0], by_bytes) != NULL;
}

/* One byte repeated, or each byte one above (or each one below) the one before it. */
static int is_trivial(const char *s, size_t len)
{
    int same = 1, up = 1, down = 1;
    for (size_t i = 1; i < len; i++) {
        int d = (unsigned char)s[i] - (unsigned char)s[i - 1];
        same &= d == 0;
        up &= d == 1;
        down &= d == -1;
    }
    return same || up || down;
}

password_rule password_rule_check(const char *pw, size_t len, const char *login)
{
    if (!pw || len > PASSWORD_MAX_LEN || memchr(pw, '\0', len) ||
        utf8_chars(pw, len) < PASSWORD_MIN_CHARS)
        return PASSWORD_RULE_LENGTH;
    char folded[PASSWORD_MAX_LEN + 1], folded_login[PASSWORD_MAX_LEN + 1];
    fold_case(pw, len, folded);
    size_t login_len = login ? strlen(login) : 0;
    if (login_len > 0 && login_len <= PASSWORD_MAX_LEN) {
        fold_case(login, login_len, folded_login);
        /* a short login (3 characters) only as the whole password */
        if (strcmp(folded, folded_login) == 0 || (login_len >= 4 && strstr(folded, folded_login)))
            return PASSWORD_RULE_LOGIN;
    }
    if (is_common(folded))
        return PASSWORD_RULE_COMMON;
    for (size_t i = 0; i < sizeof CONTEXT_WORDS / sizeof CONTEXT_WORDS[0]; i++)
        if (strstr(folded, CONTEXT_WORDS[i]))
            return PASSWORD_RULE_CONTEXT;
    if (is_trivial(folded, len))
        return PASSWORD_RULE_TRIVIAL;
    return PASSWORD_RULE_OK;
}

const char *password_rule_message(password_rule r)
{
    static const char *const TEXT[] = {
        [PASSWORD_RULE_OK] = "",
        [PASSWORD_RULE_LENGTH] = "пароль: от 8 до 256 символов",
        [PASSWORD_RULE_LOGIN] = "пароль не должен совпадать с логином или содержать его",
        [PASSWORD_RULE_COMMON] =
            "этот пароль слишком распространён и есть в списках утёкших паролей: "
            "придумайте другой, например из нескольких слов",
        [PASSWORD_RULE_CONTEXT] = "пароль не должен содержать название системы (ВСОК)",
        [PASSWORD_RULE_TRIVIAL] =
            "пароль из одного повторяющегося символа или из подряд идущих символов "
            "(12345678, abcdefgh) подбирается сразу: придумайте другой",
    };
    return TEXT_OF(TEXT, r, "пароль не подходит");
}
