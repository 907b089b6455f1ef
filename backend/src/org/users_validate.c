/* The fields of POST /users and PATCH /users/{id}, the rules for new passwords and the
 * temporary password generator (users.h). Every bad field gets its own error. */
#include "org/users.h"

#include "core/crypto_util.h"
#include "http/form_text.h"
#include "auth/password.h"
#include "auth/password_rules.h"

#include <string.h>

static const char ALPHABET[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

int user_temp_password(char *out)
{
    const size_t n = sizeof ALPHABET - 1, limit = 256 - 256 % n;
    size_t i = 0;
    while (i < USER_TEMP_PASSWORD_LEN) {
        unsigned char buf[32];
        if (random_bytes(buf, sizeof buf) != 0)
            return -1;
        for (size_t k = 0; k < sizeof buf && i < USER_TEMP_PASSWORD_LEN; k++) {
            if (buf[k] < limit) /* rejection sampling keeps every character equally likely */
                out[i++] = ALPHABET[buf[k] % n];
        }
    }
    out[USER_TEMP_PASSWORD_LEN] = '\0';
    return 0;
}

/* A string field without NUL or control characters, trimmed of surrounding spaces and at
 * most max characters. *out: the trimmed copy, NULL when null or blank. Returns -1 when
 * the value is of another type or breaks a rule. */
static int text_of(arena *a, json_t *v, size_t max, const char **out)
{
    *out = NULL;
    if (json_is_null(v))
        return 0;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return -1;
    const char *s = json_string_value(v);
    if (!form_is_single_line(s))
        return -1;
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return 0;
    char *copy = arena_strndup(a, s, len);
    if (!copy || form_utf8_length(copy) > max)
        return -1;
    *out = copy;
    return 0;
}

static int bad_field(json_t *p, const char *field, const char *message)
{
    problem_add_error(p, field, message);
    return 1;
}

static int login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < USER_LOGIN_MIN || n > USER_LOGIN_MAX)
        return 0;
    for (const char *c = s; *c; c++) {
        int alnum =
            (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
        if (!alnum && *c != '.' && *c != '_' && *c != '-')
            return 0;
    }
    return 1;
}

static int read_login(json_t *p, json_t *v, const char *current, const char **out)
{
    *out = NULL;
    if (current) {
        if (v && !(json_is_string(v) && strcmp(json_string_value(v), current) == 0))
            return bad_field(p, "login", "логин изменить нельзя");
        return 0;
    }
    if (!v || json_is_null(v))
        return bad_field(p, "login", "укажите логин");
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        !login_ok(json_string_value(v)))
        return bad_field(p, "login",
                         "логин: от 3 до 64 символов — латинские буквы, цифры, точка, дефис и "
                         "подчёркивание");
    *out = json_string_value(v);
    return 0;
}

static int read_full_name(arena *a, json_t *p, json_t *v, int creating, const char **out)
{
    *out = NULL;
    if (!v && !creating)
        return 0;
    if (!v || text_of(a, v, USER_FULL_NAME_MAX, out) != 0 || !*out)
        return bad_field(p, "full_name", "укажите ФИО — от 1 до 300 символов");
    return 0;
}

static int email_ok(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || strchr(s, ' '))
        return 0;
    const char *dot = strchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && s[strlen(s) - 1] != '.';
}

static int read_email(arena *a, json_t *p, json_t *v, const char **out, int *given)
{
    *given = v != NULL;
    *out = NULL;
    if (!v)
        return 0;
    if (text_of(a, v, USER_EMAIL_MAX, out) != 0 || (*out && !email_ok(*out)))
        return bad_field(p, "email",
                         "адрес электронной почты вида name@example.ru, до 254 символов");
    return 0;
}

static int phone_ok(const char *s)
{
    int digits = 0;
    for (const char *c = s; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (!strchr(" +()-", *c))
            return 0;
    }
    return digits > 0;
}

static int read_phone(arena *a, json_t *p, json_t *v, const char **out, int *given)
{
    *given = v != NULL;
    *out = NULL;
    if (!v)
        return 0;
    if (text_of(a, v, USER_PHONE_MAX, out) != 0 || (*out && !phone_ok(*out)))
        return bad_field(p, "phone", "телефон: цифры, пробелы и знаки + ( ) -, до 32 символов");
    return 0;
}

static int read_role(json_t *p, json_t *v, int creating, role *out, int *given)
{
    *given = 0;
    if (!v && !creating)
        return 0;
    if (!json_is_string(v) || role_parse(json_string_value(v), out) != 0)
        return bad_field(p, "role",
                         "укажите роль: administrator, region_coordinator, "
                         "municipal_coordinator, doo_coordinator, teacher или expert");
    *given = 1;
    return 0;
}

static int read_unit(json_t *p, json_t *v, int creating, uint64_t *out)
{
    *out = 0;
    if (!v && !creating)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return bad_field(p, "org_unit_id", "укажите организацию — её id, целое число больше 0");
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int read_works_at(json_t *p, json_t *v, uint64_t *out, int *given)
{
    *out = 0;
    *given = v != NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return bad_field(p, "works_at_unit_id",
                         "место работы: id детского сада или группы, целое число больше 0, "
                         "или null");
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int read_active(json_t *p, json_t *v, int *out)
{
    *out = -1;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return bad_field(p, "active", "true или false");
    *out = json_is_true(v);
    return 0;
}

int user_password_check(json_t *problem, const char *field, json_t *v, const char *login)
{
    password_rule r = json_is_string(v)
                          ? password_rule_check(json_string_value(v), json_string_length(v), login)
                          : PASSWORD_RULE_LENGTH;
    if (r == PASSWORD_RULE_OK)
        return 0;
    problem_add_error(problem, field, password_rule_message(r));
    return -1;
}

static int read_password(json_t *p, json_t *v, int creating, const char *login, const char **out)
{
    *out = NULL;
    if (!v || (creating && json_is_null(v)))
        return 0;
    if (!creating)
        return bad_field(p, "password",
                         "пароль здесь не меняется: используйте сброс пароля пользователя");
    if (user_password_check(p, "password", v, login) != 0)
        return 1;
    *out = json_string_value(v);
    return 0;
}

int user_fields_read(request *rq, response *rs, user_fields *f, const char *current_login)
{
    int creating = current_login == NULL;
    memset(f, 0, sizeof *f);
    f->active = -1;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля формы.");
    json_t *b = rq->json;
    if (!json_is_object(b)) {
        problem_add_error(p, "body", "ожидается объект JSON");
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    /* each reader adds its field's errors to p */
    read_login(p, json_object_get(b, "login"), current_login, &f->login);
    read_full_name(rq->a, p, json_object_get(b, "full_name"), creating, &f->full_name);
    read_email(rq->a, p, json_object_get(b, "email"), &f->email, &f->has_email);
    read_phone(rq->a, p, json_object_get(b, "phone"), &f->phone, &f->has_phone);
    read_role(p, json_object_get(b, "role"), creating, &f->role, &f->has_role);
    read_unit(p, json_object_get(b, "org_unit_id"), creating, &f->org_unit_id);
    read_works_at(p, json_object_get(b, "works_at_unit_id"), &f->works_at_unit_id,
                  &f->has_works_at);
    read_active(p, json_object_get(b, "active"), &f->active);
    read_password(p, json_object_get(b, "password"), creating, f->login, &f->password);
    return reply_field_errors(rq, rs, p);
}
