/*
 * bin5.h -- reader/writer for the bin5 array-file container (KRC, IDL).
 *
 * File layout (see ../shared/spec/krc-formats.md section 3.1):
 *   an ASCII header of L bytes (L a multiple of 512) followed immediately by
 *   one dense N-dimensional array in Fortran (column-major) order.  The header
 *   holds: " N d1 .. dN TYPE NELEM L", a date block "<<...>>", free text,
 *   blank fill, and in its last 13 bytes an 8-byte architecture word
 *   ("litend  " / "bigend  ") followed by "C_END".
 *
 * ABI rules
 *   - C11, no global or static mutable state: every function is reentrant and
 *     may be called concurrently from several threads on different files.
 *   - Every function that can fail returns a bin5_status (0 = success) and,
 *     when errbuf is not NULL, writes a NUL-terminated human-readable message
 *     (naming the file and the problem) into errbuf[0..errcap-1].
 *   - Integers that count bytes or elements are int64_t.
 *   - Data are always delivered to / taken from the caller in the HOST byte
 *     order; the library swaps on read when the file order differs.
 *   - Writers never leave a partial file behind: they write to a temporary
 *     file in the same directory and rename it over the target at the end
 *     (through symbolic links to the file they name; never over a special
 *     file).
 */
#ifndef LEGACY_WRAP_BIN5_H
#define LEGACY_WRAP_BIN5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BIN5_MAX_DIMS 8          /* IDL's limit on array rank */
#define BIN5_BLOCK 512           /* header length is a multiple of this */
#define BIN5_TEXT_MAX 65536      /* longest free text the library handles */
#define BIN5_DATE_MAX 64         /* room for the date block contents */

/* IDL type codes handled by the library. */
enum bin5_type {
    BIN5_U1 = 1,  /* unsigned 8-bit  */
    BIN5_I2 = 2,  /* signed 16-bit   */
    BIN5_I4 = 3,  /* signed 32-bit   */
    BIN5_F4 = 4,  /* IEEE float32    */
    BIN5_F8 = 5   /* IEEE float64    */
};

/* Status codes.  Keep the numbers stable: Python maps them to exceptions. */
enum bin5_status {
    BIN5_OK = 0,
    BIN5_E_ARG = 1,        /* invalid argument (NULL pointer, bad rank, ...)   */
    BIN5_E_OPEN = 2,       /* cannot open / stat the file, or it is a directory */
    BIN5_E_IO = 3,         /* read or write failed                              */
    BIN5_E_NOT_BIN5 = 4,   /* the header cannot be parsed as bin5               */
    BIN5_E_HEADER = 5,     /* header fields inconsistent (length, count, end)   */
    BIN5_E_TYPE = 6,       /* unsupported IDL type code                         */
    BIN5_E_DIMS = 7,       /* dimensions disagree with the element count        */
    BIN5_E_TRUNCATED = 8,  /* file shorter than header + data                   */
    BIN5_E_ARCH = 9,       /* unknown architecture (byte-order) word            */
    BIN5_E_NOMEM = 10,     /* allocation failed                                 */
    BIN5_E_TEXT = 11,      /* free text longer than BIN5_TEXT_MAX               */
    BIN5_E_SIZE = 12,      /* caller's buffer has the wrong size                */
    BIN5_E_TRAILING = 13   /* file longer than header + data (see flags below)  */
};

/* Flags of bin5_read_header_opt. */
#define BIN5_ALLOW_TRAILING 1u   /* accept bytes after the data (they are ignored) */

/* Parsed header. */
typedef struct bin5_header {
    int ndim;                        /* 1..BIN5_MAX_DIMS */
    int64_t dims[BIN5_MAX_DIMS];     /* fastest-varying first */
    int type;                        /* enum bin5_type */
    int64_t nelem;                   /* product of dims */
    int64_t header_len;              /* L: byte offset of the data */
    int big_endian;                  /* 1 if the file data are big-endian */
    char arch[9];                    /* architecture word, NUL-terminated, trimmed */
    char date[BIN5_DATE_MAX];        /* date block contents between << and >>, RAW (not
                                        trimmed: writing it back reproduces the file);
                                        cut to BIN5_DATE_MAX-1 bytes if longer */
} bin5_header;

/* Size in bytes of one element of an IDL type code, or 0 if unsupported. */
size_t bin5_type_size(int type);

/* Static English text for a status code (never NULL). */
const char *bin5_strerror(int status);

/* 1 if this host is big-endian, else 0. */
int bin5_host_big_endian(void);

/*
 * Read and validate the header of `path`.  On success fills *hdr and copies the
 * free text (trimmed of surrounding blanks) into text[0..textcap-1]
 * (truncated if needed; text may be NULL when textcap is 0).  *textlen (may be
 * NULL) receives the full length of the trimmed text.
 * Validates: header length is a positive multiple of 512 and fits in the file,
 * the C_END marker, the type code, nelem == product(dims), the architecture
 * word, and that the file holds exactly header_len + nelem*size bytes (fewer
 * -> BIN5_E_TRUNCATED, more -> BIN5_E_TRAILING: a file longer than its header
 * says is damaged or not what the header describes, and reading it would
 * silently give shifted values; KRC never writes trailing bytes).  Old headers
 * without the header-length integer (N+3 integers) get L = 512.  On failure
 * *hdr is zeroed and the text is "".
 */
int bin5_read_header(const char *path, bin5_header *hdr,
                     char *text, size_t textcap, size_t *textlen,
                     char *errbuf, size_t errcap);

/*
 * bin5_read_header with flags: BIN5_ALLOW_TRAILING accepts bytes after the
 * data (padding some tools add); they are ignored.  flags 0 is
 * bin5_read_header.
 */
int bin5_read_header_opt(const char *path, bin5_header *hdr,
                         char *text, size_t textcap, size_t *textlen,
                         unsigned flags, char *errbuf, size_t errcap);

/*
 * Read the data of `path` (whose header was read into *hdr) into `out`, which
 * must hold exactly nbytes == hdr->nelem * bin5_type_size(hdr->type) bytes.
 * Bytes are swapped to host order when needed.
 */
int bin5_read_data(const char *path, const bin5_header *hdr,
                   void *out, int64_t nbytes,
                   char *errbuf, size_t errcap);

/*
 * Write `data` (host byte order, Fortran order, nelem = product(dims)
 * elements of `type`) to `path` as a bin5 file.
 *   text       free user text (may be NULL or ""), at most BIN5_TEXT_MAX bytes
 *              (else BIN5_E_TEXT), any bytes but NUL; readers trim surrounding
 *              blanks;
 *   date       contents of the date block (shorter than BIN5_DATE_MAX, no ">>",
 *              else BIN5_E_ARG), or NULL for the current local time formatted
 *              as "SIZE  yyyy Mon dd hh:mm:ss  " (the KRC Fortran writer's
 *              style, English month names, two trailing blanks);  pass a fixed
 *              string -- e.g. hdr.date of a file read -- for reproducible files;
 *   big_endian 0 = write little-endian data ("litend"), 1 = big-endian
 *              ("bigend"); the library swaps from host order as needed.
 * The header is laid out as the KRC 3.6.5 Fortran writer does:
 *   " N d1 .. dN TYPE NELEM L  <<DATE>>  TEXT" blank-filled, with the arch
 *   word at byte L-13 and "C_END" in the last 5 bytes; L is the smallest
 *   multiple of 512 that holds it all.
 * Writes to a temporary file beside `path` ("<path>.tmpXXXXXX", mode 0644 less
 * the umask) and renames it into place; on any failure nothing is left behind
 * and an existing `path` is untouched.  Every dims[i] must be >= 1.
 * A symbolic link is followed (through every level): the file it points to
 * is written (the temporary file beside it, then renamed over it) and the
 * link stays a link; a dangling link creates its target.  A target that
 * exists and is not a regular file (directory, FIFO, device, socket) is
 * refused with BIN5_E_OPEN: the rename would replace it with a regular file.
 */
int bin5_write(const char *path, int ndim, const int64_t *dims, int type,
               const void *data, const char *text, const char *date,
               int big_endian, char *errbuf, size_t errcap);

#ifdef __cplusplus
}
#endif
#endif /* LEGACY_WRAP_BIN5_H */
