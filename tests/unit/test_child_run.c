/* Child processes for the preview tools (child_run.c): exit status, a program that cannot
 * start, stderr captured on one line, stdin closed, a clean environment, the time limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/child_run.h"

static void test_status(void **state)
{
    (void)state;
    char err[64];
    const char *ok[] = {"/bin/true", NULL};
    const char *bad[] = {"/bin/false", NULL};
    assert_int_equal(child_run(ok, 10, err, sizeof err), CHILD_OK);
    assert_int_equal(child_run(bad, 10, err, sizeof err), CHILD_FAILED);
    const char *missing[] = {"/nonexistent/tool", NULL};
    assert_int_equal(child_run(missing, 10, err, sizeof err), CHILD_NO_START);
    const char *relative[] = {"true", NULL};
    assert_int_equal(child_run(relative, 10, err, sizeof err), CHILD_NO_START);
}

static void test_stderr_and_environment(void **state)
{
    (void)state;
    char err[64];
    /* no shell involved: the argument reaches sh as one word; stdin reads as empty */
    const char *sh[] = {"/bin/sh", "-c",
                        "read x; echo \"[$x|$HOME|$VIPS_CONCURRENCY]\" >&2; exit 3", NULL};
    assert_int_equal(child_run(sh, 10, err, sizeof err), CHILD_FAILED);
    assert_string_equal(err, "[||1] ");
    const char *lines[] = {"/bin/sh", "-c", "printf 'a\\nb\\n' >&2", NULL};
    assert_int_equal(child_run(lines, 10, err, sizeof err), CHILD_OK);
    assert_string_equal(err, "a b ");
    char tiny[4];
    const char *longer[] = {"/bin/sh", "-c", "echo 0123456789 >&2", NULL};
    assert_int_equal(child_run(longer, 10, tiny, sizeof tiny), CHILD_OK);
    assert_string_equal(tiny, "012");
}

static void test_time_limit(void **state)
{
    (void)state;
    char err[8];
    const char *slow[] = {"/bin/sleep", "30", NULL};
    assert_int_equal(child_run(slow, 1, err, sizeof err), CHILD_TIMEOUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_stderr_and_environment),
        cmocka_unit_test(test_time_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
