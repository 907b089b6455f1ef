#include "campaigns/stage_kinds.h"

#include "core/roles.h"

#include <string.h>

const stage_kind_def STAGE_KINDS[] = {
    {"programme_self", "Самооценка образовательной программы (ООП ДО)", NULL, "doo_coordinator",
     "kindergarten", 10, 1, 10, 15},
    {"teacher_self", "Самооценка педагогов", "TSA", "teacher", "teacher", 10, 1, 10, 20},
    {"kindergarten_self", "Самооценка детского сада по группам", "QS", "doo_coordinator,teacher",
     "group", 10, 5, 10, 31},
    {"parent_survey", "Анкетирование родителей", "PQ", "parent", "kindergarten", 10, 15, 11, 10},
    {"expert_remote", "Дистанционная экспертная оценка", "QS", "expert", "kindergarten", 11, 1, 11,
     25},
    {"expert_onsite", "Выездная экспертная оценка", "ES", "expert", "group", 11, 10, 12, 5},
    {"final_reports", "Итоговые отчёты", NULL,
     "doo_coordinator,municipal_coordinator,region_coordinator", "unit", 12, 1, 12, 20},
};
const size_t STAGE_KINDS_COUNT = sizeof STAGE_KINDS / sizeof STAGE_KINDS[0];

const stage_kind_def *stage_kind_find(const char *kind)
{
    for (size_t i = 0; kind && i < STAGE_KINDS_COUNT; i++)
        if (strcmp(STAGE_KINDS[i].kind, kind) == 0)
            return &STAGE_KINDS[i];
    return NULL;
}

int stage_respondent_valid(const char *name)
{
    role r;
    return name && (strcmp(name, "parent") == 0 || role_parse(name, &r) == 0);
}

int stage_target_level_valid(const char *level)
{
    static const char *const LEVELS[] = {"kindergarten", "group", "teacher", "unit"};
    for (size_t i = 0; level && i < sizeof LEVELS / sizeof LEVELS[0]; i++)
        if (strcmp(level, LEVELS[i]) == 0)
            return 1;
    return 0;
}

int stage_list_has(const char *list, const char *item)
{
    size_t n = item ? strlen(item) : 0;
    for (const char *p = list; p && *p && n;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, item, n) == 0)
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

int stage_date_valid(const char *s)
{
    if (!s || strlen(s) != 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= DAYS[m - 1] + (m == 2 && leap);
}
