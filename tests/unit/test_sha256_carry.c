/* sha256_carry: the SHA-256 of a file appended in chunks of any size, its state kept between
 * chunks as 32 bytes plus the file's own last length % 64 bytes, equals the SHA-256 of the
 * whole file (OpenSSL's one-shot digest); file_copy_hashed copies and hashes in one pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/file_copy.h"
#include "core/sha256_carry.h"

#define N (1024 * 1024 + 77)

static unsigned char *pattern(void)
{
    unsigned char *b = malloc(N);
    assert_non_null(b);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        b[i] = (unsigned char)x;
    }
    return b;
}

static void digest(const unsigned char *p, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(p, n, out, &len, EVP_sha256(), NULL), 1);
}

static int temp_file(char *path)
{
    snprintf(path, 256, "/tmp/vsok-carry-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    return fd;
}

/* The file written chunk by chunk (sizes from `sizes`, cycled), the hash resumed from the
 * kept state and the file before every chunk, as a new request would. */
static void check_chunks(const size_t *sizes, size_t nsizes)
{
    unsigned char *data = pattern();
    char path[256];
    int fd = temp_file(path);
    arena a;
    arena_init(&a, 4096);
    unsigned char state[SHA256_CARRY_LEN];
    size_t at = 0;
    for (size_t i = 0; at < N; i++) {
        size_t n = sizes[i % nsizes];
        if (n > N - at)
            n = N - at;
        sha256_carry *c = sha256_carry_new(&a);
        assert_non_null(c);
        assert_int_equal(sha256_carry_resume(c, at ? state : NULL, fd, (off_t)at), 0);
        assert_int_equal(sha256_carry_length(c), (off_t)at);
        assert_int_equal(pwrite(fd, data + at, n, (off_t)at), (ssize_t)n);
        sha256_carry_update(c, data + at, n);
        at += n;
        sha256_carry_save(c, state);
        unsigned char got[32], want[32];
        sha256_carry_digest(c, got);
        digest(data, at, want);
        assert_memory_equal(got, want, 32);
        arena_reset(&a);
    }
    arena_destroy(&a);
    close(fd);
    unlink(path);
    free(data);
}

static void test_block_multiples(void **state)
{
    (void)state;
    const size_t sizes[] = {64 * 1024};
    check_chunks(sizes, 1);
}

static void test_odd_sizes(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 63, 64, 65, 100000, 7, 128, 129, 4095, 250001};
    check_chunks(sizes, sizeof sizes / sizeof sizes[0]);
}

/* A state that does not match the file's length cannot be resumed without it. */
static void test_resume_errors(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    char path[256];
    int fd = temp_file(path);
    assert_int_equal(write(fd, "abc", 3), 3);
    sha256_carry *c = sha256_carry_new(&a);
    unsigned char st[SHA256_CARRY_LEN] = {0};
    assert_int_equal(sha256_carry_resume(c, NULL, fd, 3), -1); /* no state past 0 */
    assert_int_equal(sha256_carry_resume(c, st, fd, 70), -1);  /* the file is shorter */
    assert_int_equal(errno, EIO);
    close(fd);
    unlink(path);
    arena_destroy(&a);
}

/* in (the rest of the data after its first 100 bytes) appended to out (the first 100), from
 * a file or from a pipe. */
static void check_copy_hashed(int through_pipe)
{
    unsigned char *data = pattern();
    char src[256], dst[256];
    int in = temp_file(src), out = temp_file(dst);
    assert_int_equal(write(in, data + 100, N - 100), N - 100);
    assert_int_equal(lseek(in, 0, SEEK_SET), 0);
    assert_int_equal(write(out, data, 100), 100);
    int fds[2] = {-1, -1};
    if (through_pipe) {
        /* the pipe holds the first 100 bytes of the rest only: enough for the fallback */
        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], data + 100, 100), 100);
        close(fds[1]);
    }
    arena a;
    arena_init(&a, 4096);
    sha256_carry *c = sha256_carry_new(&a);
    sha256_carry_update(c, data, 100);
    off_t copied = 0;
    size_t total = through_pipe ? 200 : N;
    assert_int_equal(file_copy_hashed(through_pipe ? fds[0] : in, out, c, &copied), 0);
    assert_int_equal(copied, (off_t)total - 100);
    unsigned char *back = malloc(N);
    assert_non_null(back);
    assert_int_equal(pread(out, back, N, 0), (ssize_t)total);
    assert_memory_equal(back, data, total);
    unsigned char got[32], want[32];
    sha256_carry_digest(c, got);
    digest(data, total, want);
    assert_memory_equal(got, want, 32);
    if (through_pipe)
        close(fds[0]);
    close(in);
    close(out);
    unlink(src);
    unlink(dst);
    free(back);
    free(data);
    arena_destroy(&a);
}

static void test_copy_hashed(void **state)
{
    (void)state;
    check_copy_hashed(0);
}

static void test_copy_hashed_pipe(void **state)
{
    (void)state;
    check_copy_hashed(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_multiples),  cmocka_unit_test(test_odd_sizes),
        cmocka_unit_test(test_resume_errors),    cmocka_unit_test(test_copy_hashed),
        cmocka_unit_test(test_copy_hashed_pipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
