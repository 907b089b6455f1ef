/* file_copy: bytes between two open files, whole or a given length, at given offsets; across
 * two filesystems (a regular directory and /dev/shm, where copy_file_range says EXDEV) it goes
 * on with sendfile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file_copy.h"

#define N (3 * 1024 * 1024 + 17)

static unsigned char *pattern(void)
{
    unsigned char *b = malloc(N);
    assert_non_null(b);
    for (size_t i = 0; i < N; i++)
        b[i] = (unsigned char)(i * 7 + i / 251);
    return b;
}

/* A temporary file in dir holding the pattern (or empty); its path in path. */
static int temp_file(const char *dir, const unsigned char *data, size_t n, char *path)
{
    snprintf(path, 256, "%s/vsok-copy-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (n)
        assert_int_equal(write(fd, data, n), (ssize_t)n);
    return fd;
}

static void check_copy(const char *out_dir)
{
    unsigned char *data = pattern();
    char src[256], dst[256];
    int in = temp_file("/tmp", data, N, src);
    int out = temp_file(out_dir, data, 100, dst);
    /* the rest of the file after the first 100 bytes, appended at 100 */
    off_t from = 100, to = 100, copied = -1;
    assert_int_equal(file_copy(in, &from, out, &to, -1, &copied), 0);
    assert_int_equal(copied, N - 100);
    assert_int_equal(from, N);
    assert_int_equal(to, N);
    /* a given length at a given place */
    from = 0, to = 10;
    assert_int_equal(file_copy(in, &from, out, &to, 5, &copied), 0);
    assert_int_equal(copied, 5);
    unsigned char *back = malloc(N);
    assert_non_null(back);
    assert_int_equal(pread(out, back, N, 0), N);
    assert_memory_equal(back, data, 10);
    assert_memory_equal(back + 10, data, 5);
    assert_memory_equal(back + 15, data + 15, N - 15);
    /* more than there is: an error, EIO */
    from = N - 3, to = 0;
    assert_int_equal(file_copy(in, &from, out, &to, 10, &copied), -1);
    assert_int_equal(errno, EIO);
    assert_int_equal(copied, 3);
    close(in);
    close(out);
    unlink(src);
    unlink(dst);
    free(back);
    free(data);
}

static void test_same_filesystem(void **state)
{
    (void)state;
    check_copy("/tmp");
}

static void test_two_filesystems(void **state)
{
    (void)state;
    struct stat a, b;
    if (stat("/tmp", &a) != 0 || stat("/dev/shm", &b) != 0 || a.st_dev == b.st_dev ||
        access("/dev/shm", W_OK) != 0)
        skip();
    check_copy("/dev/shm");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_filesystem),
        cmocka_unit_test(test_two_filesystems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
