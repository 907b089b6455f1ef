#include "http/problem.h"

#include "http/http.h"

typedef struct {
    int status;
    const char *type;
    const char *title;
} problem_row;

static const problem_row PROBLEMS[PK_COUNT] = {
#define PROBLEM_ROW(kind, st, ty, ti) [kind] = {st, ty, ti},
    PROBLEM_KINDS(PROBLEM_ROW)
#undef PROBLEM_ROW
};

int problem_status(problem_kind k)
{
    return k > PK_NONE && k < PK_COUNT ? PROBLEMS[k].status : 500;
}

json_t *problem_of(problem_kind k, const char *detail)
{
    if (k <= PK_NONE || k >= PK_COUNT)
        k = PK_INTERNAL;
    return problem_new(PROBLEMS[k].status, PROBLEMS[k].type, PROBLEMS[k].title, detail);
}
