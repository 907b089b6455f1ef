/* The CPU cost of appending upload chunks and hashing them, three ways, without the server:
 *
 *   0  copy_file_range into the upload (the kernel copies), then the whole file read again
 *      for the SHA-256 at completion (vsokd before the hash was carried along);
 *   1  each chunk read into a 256 KiB buffer, hashed and written from there (vsokd now);
 *   2  each chunk mapped 256 KiB at a time, hashed and written from the mapping.
 *
 * Each of N chunks of 8 MiB is first written to a fresh file (what nginx does with a PATCH
 * body, not counted), then appended to one upload file in DIR; the CPU time (user + system,
 * getrusage) of the appending and hashing alone is printed per GiB.
 *
 *   cc -O2 -o var/append_hash tests/bench/append_hash.c -lcrypto
 *   var/append_hash MODE N DIR [sync]      (sync: fdatasync after each chunk, as vsokd) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define CHUNK (8 << 20)
#define STEP (256 << 10)

static unsigned char buf[1 << 20];

static double cpu_seconds(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static int write_chunk(const char *path, int seed)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    for (int k = 0; k < CHUNK / (int)sizeof buf; k++) {
        for (size_t j = 0; j < sizeof buf; j += 64)
            buf[j] = (unsigned char)(seed + k + (int)j);
        if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            return close(fd), -1;
    }
    return close(fd);
}

static int append(int mode, int in, int out, off_t at, EVP_MD_CTX *md)
{
    if (mode == 0) {
        off_t from = 0, to = at;
        for (size_t left = CHUNK; left > 0;) {
            ssize_t k = copy_file_range(in, &from, out, &to, left, 0);
            if (k <= 0)
                return -1;
            left -= (size_t)k;
        }
        return 0;
    }
    if (lseek(out, at, SEEK_SET) < 0)
        return -1;
    for (off_t o = 0; o < CHUNK; o += STEP) {
        void *p = buf;
        if (mode == 2 &&
            (p = mmap(NULL, STEP, PROT_READ, MAP_PRIVATE | MAP_POPULATE, in, o)) == MAP_FAILED)
            return -1;
        if (mode == 1 && read(in, buf, STEP) != STEP)
            return -1;
        EVP_DigestUpdate(md, p, STEP);
        ssize_t w = write(out, p, STEP);
        if (mode == 2)
            munmap(p, STEP);
        if (w != STEP)
            return -1;
    }
    return 0;
}

static int reread(int out, EVP_MD_CTX *md)
{
    ssize_t k;
    if (lseek(out, 0, SEEK_SET) < 0)
        return -1;
    while ((k = read(out, buf, sizeof buf)) > 0)
        EVP_DigestUpdate(md, buf, (size_t)k);
    return k < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return fprintf(stderr, "usage: %s MODE N DIR [sync]\n", argv[0]), 2;
    int mode = atoi(argv[1]), n = atoi(argv[2]), sync = argc > 4;
    char src[4096], dst[4096];
    snprintf(src, sizeof src, "%s/append-hash-body", argv[3]);
    snprintf(dst, sizeof dst, "%s/append-hash-upload", argv[3]);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 || out < 0)
        return 1;
    double spent = 0;
    for (int i = 0; i < n; i++) {
        if (write_chunk(src, i) != 0)
            return 1;
        double t = cpu_seconds();
        int in = open(src, O_RDONLY);
        if (in < 0 || append(mode, in, out, (off_t)i * CHUNK, md) != 0 || (sync && fdatasync(out)))
            return perror("append"), 1;
        close(in);
        spent += cpu_seconds() - t;
        unlink(src);
    }
    double t = cpu_seconds();
    if (mode == 0 && reread(out, md) != 0)
        return 1;
    spent += cpu_seconds() - t;
    unsigned char sha[32];
    EVP_DigestFinal_ex(md, sha, NULL);
    printf("mode %d%s: %.2f s CPU per GiB (%d MiB)\n", mode, sync ? " fdatasync" : "",
           spent * 1024.0 / (n * (CHUNK >> 20)), n * (CHUNK >> 20));
    close(out);
    unlink(dst);
    return 0;
}
