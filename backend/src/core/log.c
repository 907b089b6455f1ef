#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static size_t timestamp(char *buf, size_t cap)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(buf + n, cap - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    return n;
}

static void write_line(char *buf, size_t n, size_t cap)
{
    if (n >= cap - 1)
        n = cap - 2;
    buf[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, n);
    (void)w;
}

static void log_v(const char *level, const char *fmt, va_list ap)
{
    char buf[2048];
    size_t n = timestamp(buf, sizeof buf);
    int k = snprintf(buf + n, sizeof buf - n, " [%d] %s: ", (int)getpid(), level);
    if (k > 0)
        n += (size_t)k;
    if (n < sizeof buf) {
        k = vsnprintf(buf + n, sizeof buf - n, fmt, ap);
        if (k > 0)
            n += (size_t)k;
    }
    write_line(buf, n < sizeof buf ? n : sizeof buf - 1, sizeof buf);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_v("error", fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_v("info", fmt, ap);
    va_end(ap);
}

void log_access(const char *method, const char *path, int status, double ms,
                unsigned long long user_id)
{
    char buf[1024];
    size_t n = timestamp(buf, sizeof buf);
    int k;
    if (user_id)
        k = snprintf(buf + n, sizeof buf - n, " %s %.512s %d %.1fms user=%llu", method, path,
                     status, ms, user_id);
    else
        k = snprintf(buf + n, sizeof buf - n, " %s %.512s %d %.1fms user=-", method, path, status,
                     ms);
    if (k > 0)
        n += (size_t)k;
    write_line(buf, n < sizeof buf ? n : sizeof buf - 1, sizeof buf);
}
