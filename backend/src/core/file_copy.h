/* Copying bytes between two open files in the kernel, so that memory does not grow with the
 * file: copy_file_range, and sendfile where the kernel cannot copy between these two files
 * (EXDEV: two filesystems, such as nginx's body temp directory and a separately mounted
 * uploads directory; EOPNOTSUPP/ENOSYS/EINVAL: a filesystem or kernel without it). And the
 * small steps around it: writing or reading every byte, making the directories of a path. */
#ifndef VSOK_FILE_COPY_H
#define VSOK_FILE_COPY_H

#include "core/sha256_carry.h"

#include <stddef.h>
#include <sys/types.h>

/* Copies len bytes (len < 0: up to the end of in) from in at *in_off to out at *out_off,
 * advancing both offsets. *copied gets the bytes written. Returns 0 or -1 (errno set, e.g.
 * ENOSPC; what was written before stays, the caller cuts it back). */
int file_copy(int in, off_t *in_off, int out, off_t *out_off, off_t len, off_t *copied);

/* Copies in from its position to its end to out at out's position through a small buffer,
 * adding every byte to hash on the way: the bytes are read once for both the copy and the
 * hash. *copied gets the bytes written. Returns 0 or -1 (errno set; what was written
 * stays). */
int file_copy_hashed(int in, int out, sha256_carry *hash, off_t *copied);

/* Writes all n bytes at fd's position. Returns 0 or -1 (errno set). */
int file_write_all(int fd, const void *p, size_t n);
/* Reads n bytes from fd at offset at into p. Returns 0 or -1 (errno set; EIO when the file
 * ends before n bytes). */
int file_pread_all(int fd, void *p, size_t n, off_t at);

/* Creates the directories above the file at path that do not exist: the last one (the
 * file's own directory) with mode last, the ones above it with mode. Returns 0 or -1 (errno
 * set; ENAMETOOLONG for a path longer than PATH_MAX). */
int file_make_dirs(const char *path, mode_t mode, mode_t last);

#endif
