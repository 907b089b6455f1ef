/* Runs a tool (vipsthumbnail, vips, ffmpeg) as a child process: posix_spawn of an argv, no
 * shell, stdin and stdout on /dev/null, stderr kept in a small capture for the log, a clean
 * environment, and a wall-clock limit after which the child is killed. The worker stays
 * single-threaded and its memory flat; a decoder crash on a hostile file ends only the
 * child. */
#ifndef VSOK_CHILD_RUN_H
#define VSOK_CHILD_RUN_H

#include <stddef.h>

typedef enum {
    CHILD_OK = 0,  /* exited with status 0 */
    CHILD_FAILED,  /* exited non-zero or died of a signal */
    CHILD_TIMEOUT, /* ran past the limit and was killed */
    CHILD_NO_START /* could not be started (missing program, no resources) */
} child_result;

/* Runs argv[0] (an absolute path) with argv, waits at most timeout_s seconds. The first
 * bytes the child writes to stderr go to err (NUL-terminated; errlen may be 0). */
child_result child_run(const char *const argv[], long timeout_s, char *err, size_t errlen);

#endif
