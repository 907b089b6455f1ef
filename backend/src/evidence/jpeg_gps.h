/* Taking the location out of a JPEG without touching its pixels, for copies shown to anyone
 * but the uploader (children's privacy): the GPS IFD of the Exif segment is blanked (its
 * entries and the values they point to zeroed, its entry count set to 0), XMP segments
 * (which repeat the location as text) and MPF segments (which index the extra images a
 * camera appends after the main one) are dropped, and everything after the first end of
 * image is cut. Orientation and the other Exif tags stay. Pure byte code over buffers: the
 * caller reads and writes the files. */
#ifndef VSOK_JPEG_GPS_H
#define VSOK_JPEG_GPS_H

#include <stddef.h>

/* Blanks the GPS IFD of an Exif APP1 payload (the bytes after the segment length, starting
 * with "Exif\0\0") in place. Returns 1 when a GPS IFD was blanked, 0 when there is none, -1
 * when the payload is not a well-formed Exif block (the caller then drops the segment). */
int exif_blank_gps(unsigned char *p, size_t n);

/* Rewrites the header of a JPEG (from SOI up to the first SOS marker) from in[0..n) into out
 * (at least n bytes): *outlen gets its length and *sos the offset of the SOS marker in in.
 * Returns 0, or -1 when in is not a JPEG or its header does not end within n bytes. */
int jpeg_clean_header(const unsigned char *in, size_t n, unsigned char *out, size_t *outlen,
                      size_t *sos);

/* Finds the end-of-image marker in the entropy-coded data that follows the header, fed in
 * pieces: state starts at 0 and is kept between calls. Returns the number of bytes of buf up
 * to and including the marker, or 0 when it is not in buf. */
size_t jpeg_find_eoi(int *state, const unsigned char *buf, size_t n);

#endif
