/* Copying bytes between two open files in the kernel, so that memory does not grow with the
 * file: copy_file_range, and sendfile where the kernel cannot copy between these two files
 * (EXDEV: two filesystems, such as nginx's body temp directory and a separately mounted
 * uploads directory; EOPNOTSUPP/ENOSYS/EINVAL: a filesystem or kernel without it). */
#ifndef VSOK_FILE_COPY_H
#define VSOK_FILE_COPY_H

#include <sys/types.h>

/* Copies len bytes (len < 0: up to the end of in) from in at *in_off to out at *out_off,
 * advancing both offsets. *copied gets the bytes written. Returns 0 or -1 (errno set, e.g.
 * ENOSPC; what was written before stays, the caller cuts it back). */
int file_copy(int in, off_t *in_off, int out, off_t *out_off, off_t len, off_t *copied);

#endif
