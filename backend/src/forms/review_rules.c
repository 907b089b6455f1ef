#include "forms/review_rules.h"

#include "core/text_table.h"
#define COORDINATORS_ABOVE_DOO                                                                     \
    (ROLE_BIT(ROLE_REGION_COORDINATOR) | ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR))

/* THE TABLE: per author role, who reviews their work and whether the reviewer must be
 * independent of the assessed kindergarten.
 *
 *   teacher           the kindergarten's coordinator or anyone above (administrator,
 *                     regional, municipal coordinator);
 *   doo_coordinator   (the kindergarten's self-assessment) municipal or regional
 *                     coordinators and administrators, none of whom works in it;
 *   expert            (an outside assessment) municipal or regional coordinators only, none
 *                     of whom works in the kindergarten: never the assessed kindergarten's
 *                     own people, and not the system's administrator, who has no part in
 *                     the monitoring;
 *   municipal / regional coordinator   the levels above them; administrator: nobody. */
static const struct {
    unsigned reviewers;
    int independent;
} RULES[ROLE_COUNT] = {
    [ROLE_ADMINISTRATOR] = {0, 0},
    [ROLE_REGION_COORDINATOR] = {ROLE_BIT(ROLE_ADMINISTRATOR), 0},
    [ROLE_MUNICIPAL_COORDINATOR] = {ROLE_BIT(ROLE_ADMINISTRATOR) |
                                        ROLE_BIT(ROLE_REGION_COORDINATOR),
                                    0},
    [ROLE_DOO_COORDINATOR] = {ROLE_BIT(ROLE_ADMINISTRATOR) | COORDINATORS_ABOVE_DOO, 1},
    [ROLE_TEACHER] = {ROLE_BIT(ROLE_ADMINISTRATOR) | COORDINATORS_ABOVE_DOO |
                          ROLE_BIT(ROLE_DOO_COORDINATOR),
                      0},
    [ROLE_EXPERT] = {COORDINATORS_ABOVE_DOO, 1},
};

static int role_ok(role r)
{
    return r >= 0 && r < ROLE_COUNT;
}

unsigned review_roles(role author)
{
    return role_ok(author) ? RULES[author].reviewers : 0;
}

int review_needs_independence(role author)
{
    return role_ok(author) ? RULES[author].independent : 1;
}

review_verdict review_check(const review_reviewer *by, const review_work *w)
{
    if (by->user_id == 0 || by->user_id == w->author_id ||
        (w->subject_id != 0 && by->user_id == w->subject_id))
        return REVIEW_OWN_WORK;
    if (!role_ok(by->role) || !(review_roles(w->author_role) & ROLE_BIT(by->role)))
        return REVIEW_ROLE;
    if (review_needs_independence(w->author_role) && by->inside)
        return REVIEW_NOT_INDEPENDENT;
    return REVIEW_ALLOWED;
}

const char *review_refusal(review_verdict v)
{
    static const char *const TEXT[] = {
        [REVIEW_ALLOWED] = "",
        [REVIEW_OWN_WORK] = "Свою анкету (и анкету о себе) проверить нельзя.",
        [REVIEW_ROLE] =
            "Эту анкету проверяет координатор другого уровня: анкеты педагогов — "
            "координатор детского сада и выше, самооценку детского сада — муниципальный "
            "или региональный координатор, оценку эксперта — только муниципальный или "
            "региональный координатор.",
        [REVIEW_NOT_INDEPENDENT] =
            "Вы работаете в оцениваемом детском саду: проверяет независимый координатор.",
    };
    return TEXT_OF(TEXT, v, "Проверять эту анкету нельзя.");
}
