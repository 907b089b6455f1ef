/* Log lines to stderr, each written with one write() so that lines from several worker
 * processes sharing the file never interleave. */
#ifndef VSOK_LOG_H
#define VSOK_LOG_H

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* time method path status duration user */
void log_access(const char *method, const char *path, int status, double ms,
                unsigned long long user_id);

#endif
