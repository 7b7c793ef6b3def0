/*
 * bin5.c -- reader/writer of the bin5 array-file container.
 *
 * API and ABI rules: bin5.h.  Format facts: ../shared/spec/krc-formats.md 3.1.
 *
 * Implementation notes
 *   - No globals and no static mutable state: everything lives on the stack or
 *     in heap blocks owned by one call, so all entry points are reentrant.
 *   - Every file descriptor / FILE and heap block is released on every path.
 *   - Reading refuses bytes after the array unless the caller allows them
 *     (BIN5_ALLOW_TRAILING): KRC never writes any, and a file longer than its
 *     header says is usually damaged (bytes inserted after the header shift
 *     every value).
 *   - The date block is reported raw (not trimmed) so that writing a file back
 *     with the header's date and text reproduces it byte for byte.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64
#endif

#include "bin5.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define ARCH_FROM_END 13             /* arch word starts 13 bytes before the end */
#define END_MARK "C_END"
#define END_LEN 5
#define MAX_INTS (BIN5_MAX_DIMS + 4) /* N, N dims, type, count, length */
#define PARSE_INTS 64                /* parsed before judging the rank */
#define SWAP_CHUNK (1u << 20)        /* bytes swapped per write() when writing */

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

size_t bin5_type_size(int type)
{
    switch (type) {
    case BIN5_U1: return 1;
    case BIN5_I2: return 2;
    case BIN5_I4: return 4;
    case BIN5_F4: return 4;
    case BIN5_F8: return 8;
    default: return 0;
    }
}

const char *bin5_strerror(int status)
{
    switch (status) {
    case BIN5_OK: return "success";
    case BIN5_E_ARG: return "invalid argument";
    case BIN5_E_OPEN: return "cannot open the file";
    case BIN5_E_IO: return "read or write error";
    case BIN5_E_NOT_BIN5: return "not a bin5 file";
    case BIN5_E_HEADER: return "inconsistent bin5 header";
    case BIN5_E_TYPE: return "unsupported type code";
    case BIN5_E_DIMS: return "dimensions disagree with the element count";
    case BIN5_E_TRUNCATED: return "file is truncated";
    case BIN5_E_ARCH: return "unknown architecture (byte-order) word";
    case BIN5_E_NOMEM: return "out of memory";
    case BIN5_E_TEXT: return "header text too long";
    case BIN5_E_SIZE: return "buffer size does not match the data size";
    case BIN5_E_TRAILING: return "file is longer than its header says";
    default: return "unknown bin5 status";
    }
}

int bin5_host_big_endian(void)
{
    const uint32_t probe = 0x01020304u;
    unsigned char b[4];
    memcpy(b, &probe, sizeof b);
    return b[0] == 0x01;
}

/* Long element-type name used in messages. */
static const char *type_desc(int type)
{
    switch (type) {
    case BIN5_U1: return "uint8";
    case BIN5_I2: return "int16";
    case BIN5_I4: return "int32";
    case BIN5_F4: return "float32";
    case BIN5_F8: return "float64";
    default: return "unknown-type";
    }
}

/* Write "PATH: message" into errbuf (if any) and return status. */
static int fail(char *errbuf, size_t errcap, int status, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int fail(char *errbuf, size_t errcap, int status, const char *path, const char *fmt, ...)
{
    if (errbuf != NULL && errcap > 0) {
        int n = snprintf(errbuf, errcap, "%s: ", path != NULL ? path : "(no path)");
        if (n >= 0 && (size_t)n < errcap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(errbuf + n, errcap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return status;
}

static void clear_err(char *errbuf, size_t errcap)
{
    if (errbuf != NULL && errcap > 0) errbuf[0] = '\0';
}

/* *out = a * b for a, b >= 0; returns 0 on overflow or negative input. */
static int mul64(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0) return 0;
    if (a != 0 && b > INT64_MAX / a) return 0;
    *out = a * b;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* 1 big-endian, 0 little-endian, -1 unknown word. */
static int arch_big_endian(const char *word)
{
    static const char *const big[] = {"bigend", "sparc"};
    static const char *const little[] = {"litend", "alpha", "ppc", "x86", "x86_64"};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        if (strcmp(word, big[i]) == 0) return 1;
    for (size_t i = 0; i < sizeof little / sizeof little[0]; i++)
        if (strcmp(word, little[i]) == 0) return 0;
    return -1;
}

/* Reverse the bytes of each of n elements of the given size, in place. */
static void swap_elements(void *buf, int64_t n, size_t size)
{
    unsigned char *p = buf;
    switch (size) {
    case 2:
        for (int64_t i = 0; i < n; i++, p += 2) {
            unsigned char t = p[0];
            p[0] = p[1];
            p[1] = t;
        }
        break;
    case 4:
        for (int64_t i = 0; i < n; i++, p += 4) {
            uint32_t v;
            memcpy(&v, p, 4);
            v = (v >> 24) | ((v >> 8) & 0x0000FF00u) | ((v << 8) & 0x00FF0000u) | (v << 24);
            memcpy(p, &v, 4);
        }
        break;
    case 8:
        for (int64_t i = 0; i < n; i++, p += 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            v = ((v & 0x00000000000000FFull) << 56) | ((v & 0x000000000000FF00ull) << 40)
                | ((v & 0x0000000000FF0000ull) << 24) | ((v & 0x00000000FF000000ull) << 8)
                | ((v & 0x000000FF00000000ull) >> 8) | ((v & 0x0000FF0000000000ull) >> 24)
                | ((v & 0x00FF000000000000ull) >> 40) | ((v & 0xFF00000000000000ull) >> 56);
            memcpy(p, &v, 8);
        }
        break;
    default:
        break;
    }
}

/*
 * Open `path` for reading as a regular file.  O_NONBLOCK keeps a FIFO from
 * hanging the open; it is irrelevant for regular files.  Returns NULL and sets
 * *status (message in errbuf) on failure.
 */
static FILE *open_for_read(const char *path, int64_t *fsize, int *status, char *errbuf,
                           size_t errcap)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot open: %s", strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot stat: %s", strerror(e));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "is a directory, not a bin5 file");
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path,
                       "is not a regular file (device, FIFO or socket)");
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        int e = errno;
        close(fd);
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot open: %s", strerror(e));
        return NULL;
    }
    *fsize = (int64_t)st.st_size;
    *status = BIN5_OK;
    return f;
}

/* Read exactly n bytes at the current position; 1 on success. */
static int read_exact(FILE *f, void *buf, size_t n, size_t *got)
{
    *got = n > 0 ? fread(buf, 1, n, f) : 0;
    return *got == n;
}

/* ------------------------------------------------------------------------ */
/* Header parsing                                                           */

/*
 * Parse the blank-separated integers at the start of the header up to "<<".
 * Returns the number of integers (>= 0), or -1 when the bytes do not look like
 * a bin5 header (junk, no "<<", too many or too large integers).  *date_at
 * receives the offset of "<<".
 */
static int parse_integers(const char *blk, size_t n, int64_t *vals, size_t *date_at)
{
    int count = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && is_space(blk[i])) i++;
        if (i >= n) return -1;
        if (blk[i] == '<') {
            if (i + 1 >= n || blk[i + 1] != '<') return -1;
            *date_at = i;
            return count;
        }
        int neg = 0;
        if (blk[i] == '-' || blk[i] == '+') {
            neg = blk[i] == '-';
            i++;
        }
        int64_t v = 0;
        int digits = 0;
        while (i < n && blk[i] >= '0' && blk[i] <= '9') {
            if (digits >= 18) return -1; /* absurdly large: not a size */
            v = v * 10 + (blk[i] - '0');
            digits++;
            i++;
        }
        if (digits == 0) return -1;
        if (i < n && !is_space(blk[i]) && blk[i] != '<') return -1;
        if (count == PARSE_INTS) return -1;
        vals[count++] = neg ? -v : v;
    }
}

int bin5_read_header(const char *path, bin5_header *hdr, char *text, size_t textcap,
                     size_t *textlen, char *errbuf, size_t errcap)
{
    return bin5_read_header_opt(path, hdr, text, textcap, textlen, 0u, errbuf, errcap);
}

int bin5_read_header_opt(const char *path, bin5_header *hdr, char *text, size_t textcap,
                         size_t *textlen, unsigned flags, char *errbuf, size_t errcap)
{
    clear_err(errbuf, errcap);
    if (text != NULL && textcap > 0) text[0] = '\0';
    if (textlen != NULL) *textlen = 0;
    if (hdr != NULL) memset(hdr, 0, sizeof *hdr);
    if (path == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_read_header: path is NULL");
    if (hdr == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_read_header: hdr is NULL");
    if (text == NULL && textcap > 0)
        return fail(errbuf, errcap, BIN5_E_ARG, path,
                    "bin5_read_header: text is NULL but textcap is %zu", textcap);

    int status;
    int64_t fsize = 0;
    FILE *f = open_for_read(path, &fsize, &status, errbuf, errcap);
    if (f == NULL) return status;

    /* The size integers live in the first block. */
    char first[BIN5_BLOCK];
    size_t nfirst = fsize < BIN5_BLOCK ? (size_t)fsize : BIN5_BLOCK;
    size_t got;
    if (!read_exact(f, first, nfirst, &got)) {
        int e = ferror(f) ? errno : 0;
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_IO, path, "read error in the header: %s",
                    e ? strerror(e) : "file shrank while reading");
    }
    if (nfirst == 0) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path, "not a bin5 file: the file is empty");
    }

    int64_t v[PARSE_INTS];
    size_t date_at = 0;
    int nv = parse_integers(first, nfirst, v, &date_at);
    if (nv <= 0 || (nv != v[0] + 3 && nv != v[0] + 4)) {
        fclose(f);
        if (nv <= 0)
            return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path,
                        "not a bin5 file: the header does not start with blank-separated size "
                        "integers followed by a <<date>> block");
        return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path,
                    "not a bin5 file: %d leading integers, but a rank of %lld needs %lld or %lld "
                    "(rank, dimensions, type, count[, header length])",
                    nv, (long long)v[0], (long long)(v[0] + 3), (long long)(v[0] + 4));
    }

    bin5_header h;
    memset(&h, 0, sizeof h);
    int64_t ndim = v[0];
    if (ndim < 1 || ndim > BIN5_MAX_DIMS) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_DIMS, path,
                    "number of dimensions %lld is outside 1..%d", (long long)ndim, BIN5_MAX_DIMS);
    }
    h.ndim = (int)ndim;
    int64_t type = v[1 + ndim];
    if (type < 1 || type > 5) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TYPE, path,
                    "unsupported type code %lld (supported: 1 uint8, 2 int16, 3 int32, "
                    "4 float32, 5 float64)", (long long)type);
    }
    h.type = (int)type;
    int64_t product = 1;
    for (int i = 0; i < h.ndim; i++) {
        h.dims[i] = v[1 + i];
        if (h.dims[i] < 1) {
            fclose(f);
            return fail(errbuf, errcap, BIN5_E_DIMS, path,
                        "dimension %d has size %lld; sizes must be at least 1", i + 1,
                        (long long)h.dims[i]);
        }
        if (!mul64(product, h.dims[i], &product)) {
            fclose(f);
            return fail(errbuf, errcap, BIN5_E_DIMS, path,
                        "the dimensions' product overflows 64-bit integers");
        }
    }
    h.nelem = v[2 + ndim];
    if (h.nelem != product) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_DIMS, path,
                    "the dimensions multiply to %lld elements but the header's count is %lld",
                    (long long)product, (long long)h.nelem);
    }
    h.header_len = nv == ndim + 4 ? v[3 + ndim] : BIN5_BLOCK;
    int64_t L = h.header_len;
    if (L < BIN5_BLOCK || L % BIN5_BLOCK != 0) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_HEADER, path,
                    "header length %lld is not a positive multiple of %d", (long long)L,
                    BIN5_BLOCK);
    }
    if (L > fsize) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: the header is %lld bytes long but the file has only "
                    "%lld bytes", (long long)L, (long long)fsize);
    }

    /* Whole header in memory (L <= file size, so this is bounded). */
    char *head = malloc((size_t)L);
    if (head == NULL) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_NOMEM, path,
                    "out of memory for a %lld-byte header", (long long)L);
    }
    memcpy(head, first, BIN5_BLOCK);
    if (!read_exact(f, head + BIN5_BLOCK, (size_t)L - BIN5_BLOCK, &got)) {
        int e = ferror(f) ? errno : 0;
        free(head);
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_IO, path, "read error in the header: %s",
                    e ? strerror(e) : "file shrank while reading");
    }
    fclose(f);

    size_t Ls = (size_t)L;
    size_t arch_at = Ls - ARCH_FROM_END;
    if (memcmp(head + Ls - END_LEN, END_MARK, END_LEN) != 0) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_HEADER, path,
                    "no C_END marker in the last 5 bytes of the %lld-byte header (offset %lld): "
                    "wrong header length or damaged header", (long long)L,
                    (long long)(L - END_LEN));
    }

    /* Architecture word: first blank-delimited token of bytes L-13 .. L-6. */
    {
        size_t a = arch_at, end = Ls - END_LEN, k = 0;
        while (a < end && (is_space(head[a]) || head[a] == '\0')) a++;
        while (a < end && !is_space(head[a]) && head[a] != '\0' && k < sizeof h.arch - 1)
            h.arch[k++] = head[a++];
        h.arch[k] = '\0';
        /* Keep only printable bytes in the message. */
        for (size_t j = 0; j < k; j++)
            if ((unsigned char)h.arch[j] < 0x20 || (unsigned char)h.arch[j] > 0x7e) h.arch[j] = '?';
    }
    int big = arch_big_endian(h.arch);
    if (big < 0) {
        free(head);
        if (h.arch[0] == '\0')
            return fail(errbuf, errcap, BIN5_E_ARCH, path,
                        "no architecture word before C_END (bytes %lld-%lld are blank): cannot "
                        "tell the byte order", (long long)(L - ARCH_FROM_END),
                        (long long)(L - END_LEN - 1));
        return fail(errbuf, errcap, BIN5_E_ARCH, path,
                    "unknown architecture word '%s' (known: litend, bigend, sparc, x86, x86_64, "
                    "alpha, ppc): cannot tell the byte order", h.arch);
    }
    h.big_endian = big;

    /* Date block: from "<<" to the next ">>", before the architecture word. */
    size_t d0 = date_at + 2, d1 = d0;
    while (d1 + 1 < arch_at && !(head[d1] == '>' && head[d1 + 1] == '>')) d1++;
    if (d1 + 1 >= arch_at) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_HEADER, path,
                    "the <<date>> block is not closed by '>>' before the architecture word");
    }
    {
        size_t dl = d1 - d0;
        if (dl > sizeof h.date - 1) dl = sizeof h.date - 1;
        memcpy(h.date, head + d0, dl);
        h.date[dl] = '\0';
        for (size_t j = 0; j < dl; j++)
            if (h.date[j] == '\0') h.date[j] = ' ';
    }

    /* Free text: after ">>" up to the architecture word, trimmed. */
    {
        size_t t0 = d1 + 2, t1 = arch_at;
        for (size_t j = t0; j < t1; j++)
            if (head[j] == '\0') head[j] = ' '; /* keep the text a C string */
        while (t0 < t1 && is_space(head[t0])) t0++;
        while (t1 > t0 && is_space(head[t1 - 1])) t1--;
        size_t tl = t1 - t0;
        if (textlen != NULL) *textlen = tl;
        if (text != NULL && textcap > 0) {
            size_t n = tl < textcap - 1 ? tl : textcap - 1;
            memcpy(text, head + t0, n);
            text[n] = '\0';
        }
    }
    free(head);

    /* The data must all be there, and nothing after them unless allowed. */
    int64_t nbytes;
    if (!mul64(h.nelem, (int64_t)bin5_type_size(h.type), &nbytes) || nbytes > INT64_MAX - L) {
        if (text != NULL && textcap > 0) text[0] = '\0';
        if (textlen != NULL) *textlen = 0;
        return fail(errbuf, errcap, BIN5_E_DIMS, path,
                    "%lld elements of %s overflow a 64-bit byte count", (long long)h.nelem,
                    type_desc(h.type));
    }
    if (fsize - L < nbytes) {
        if (text != NULL && textcap > 0) text[0] = '\0';
        if (textlen != NULL) *textlen = 0;
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: header says %lld %s elements (%lld bytes) after a "
                    "%lld-byte header but only %lld bytes follow",
                    (long long)h.nelem, type_desc(h.type), (long long)nbytes, (long long)L,
                    (long long)(fsize - L));
    }
    if (fsize - L > nbytes && (flags & BIN5_ALLOW_TRAILING) == 0) {
        if (text != NULL && textcap > 0) text[0] = '\0';
        if (textlen != NULL) *textlen = 0;
        return fail(errbuf, errcap, BIN5_E_TRAILING, path,
                    "file is longer than its header says: %lld %s elements (%lld bytes) after "
                    "a %lld-byte header, but %lld bytes follow (%lld extra); the file is "
                    "damaged or the header is wrong (allow trailing data only for files known "
                    "to be padded)",
                    (long long)h.nelem, type_desc(h.type), (long long)nbytes, (long long)L,
                    (long long)(fsize - L), (long long)(fsize - L - nbytes));
    }
    *hdr = h;
    return BIN5_OK;
}

/* ------------------------------------------------------------------------ */
/* Data                                                                     */

int bin5_read_data(const char *path, const bin5_header *hdr, void *out, int64_t nbytes,
                   char *errbuf, size_t errcap)
{
    clear_err(errbuf, errcap);
    if (path == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_read_data: path is NULL");
    if (hdr == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_read_data: hdr is NULL");
    size_t esize = bin5_type_size(hdr->type);
    if (esize == 0)
        return fail(errbuf, errcap, BIN5_E_TYPE, path,
                    "bin5_read_data: unsupported type code %d in the header", hdr->type);
    if (hdr->ndim < 1 || hdr->ndim > BIN5_MAX_DIMS)
        return fail(errbuf, errcap, BIN5_E_ARG, path,
                    "bin5_read_data: header rank %d is outside 1..%d", hdr->ndim, BIN5_MAX_DIMS);
    int64_t product = 1;
    for (int i = 0; i < hdr->ndim; i++)
        if (hdr->dims[i] < 1 || !mul64(product, hdr->dims[i], &product))
            return fail(errbuf, errcap, BIN5_E_ARG, path,
                        "bin5_read_data: header dimension %d is invalid (%lld)", i + 1,
                        (long long)hdr->dims[i]);
    int64_t want;
    if (product != hdr->nelem || !mul64(hdr->nelem, (int64_t)esize, &want))
        return fail(errbuf, errcap, BIN5_E_ARG, path,
                    "bin5_read_data: header element count %lld disagrees with its dimensions",
                    (long long)hdr->nelem);
    if (hdr->header_len < BIN5_BLOCK || hdr->header_len % BIN5_BLOCK != 0
        || want > INT64_MAX - hdr->header_len)
        return fail(errbuf, errcap, BIN5_E_ARG, path,
                    "bin5_read_data: header length %lld is invalid", (long long)hdr->header_len);
    if (nbytes != want)
        return fail(errbuf, errcap, BIN5_E_SIZE, path,
                    "buffer holds %lld bytes but %lld %s elements need %lld", (long long)nbytes,
                    (long long)hdr->nelem, type_desc(hdr->type), (long long)want);
    if ((uint64_t)want > (uint64_t)SIZE_MAX)
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "%lld bytes do not fit in memory",
                    (long long)want);
    if (out == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_read_data: out is NULL");

    int status;
    int64_t fsize = 0;
    FILE *f = open_for_read(path, &fsize, &status, errbuf, errcap);
    if (f == NULL) return status;
    if (fsize < hdr->header_len || fsize - hdr->header_len < want) {
        int64_t after = fsize > hdr->header_len ? fsize - hdr->header_len : 0;
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: header says %lld %s elements (%lld bytes) after a "
                    "%lld-byte header but only %lld bytes follow",
                    (long long)hdr->nelem, type_desc(hdr->type), (long long)want,
                    (long long)hdr->header_len, (long long)after);
    }
    if (fseeko(f, (off_t)hdr->header_len, SEEK_SET) != 0) {
        int e = errno;
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_IO, path, "cannot seek to the data at byte %lld: %s",
                    (long long)hdr->header_len, strerror(e));
    }
    size_t got;
    int ok = read_exact(f, out, (size_t)want, &got);
    int e = ferror(f) ? errno : 0;
    fclose(f);
    if (!ok) {
        if (e == 0)
            return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                        "file is truncated: only %zu of %lld data bytes could be read", got,
                        (long long)want);
        return fail(errbuf, errcap, BIN5_E_IO, path, "read error after %zu of %lld data bytes: %s",
                    got, (long long)want, strerror(e));
    }
    if (esize > 1 && (hdr->big_endian != 0) != bin5_host_big_endian())
        swap_elements(out, hdr->nelem, esize);
    return BIN5_OK;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */

/* Number of decimal digits of v >= 0. */
static size_t ndigits(int64_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/*
 * Build the header in a fresh heap block of *len bytes:
 *   " N d1 .. dN TYPE NELEM L  <<DATE>>  TEXT" + blanks + ARCH(8) + "C_END".
 * L is the smallest multiple of 512 holding it all; since the digits of L are
 * part of the header, iterate until L is stable (it only grows).
 */
static char *build_header(int ndim, const int64_t *dims, int type, int64_t nelem,
                          const char *date, const char *text, int big_endian, int64_t *len)
{
    char ints[32 * MAX_INTS];
    size_t n = 0;
    n += (size_t)snprintf(ints + n, sizeof ints - n, " %d", ndim);
    for (int i = 0; i < ndim; i++)
        n += (size_t)snprintf(ints + n, sizeof ints - n, " %lld", (long long)dims[i]);
    n += (size_t)snprintf(ints + n, sizeof ints - n, " %d %lld", type, (long long)nelem);

    size_t dlen = strlen(date), tlen = strlen(text);
    /* Everything except the digits of L: " " L "  <<" date ">>  " text, arch+C_END. */
    size_t fixed = n + 1 + 4 + dlen + 4 + tlen + ARCH_FROM_END;
    int64_t L = BIN5_BLOCK;
    for (;;) {
        int64_t need = (int64_t)(fixed + ndigits(L));
        int64_t fit = (need + BIN5_BLOCK - 1) / BIN5_BLOCK * BIN5_BLOCK;
        if (fit <= L) break;
        L = fit;
    }

    char *buf = malloc((size_t)L);
    if (buf == NULL) return NULL;
    memset(buf, ' ', (size_t)L);
    char lbuf[32];
    int ln = snprintf(lbuf, sizeof lbuf, " %lld", (long long)L);
    size_t p = 0;
    memcpy(buf + p, ints, n);
    p += n;
    memcpy(buf + p, lbuf, (size_t)ln);
    p += (size_t)ln;
    memcpy(buf + p, "  <<", 4);
    p += 4;
    memcpy(buf + p, date, dlen);
    p += dlen;
    memcpy(buf + p, ">>  ", 4);
    p += 4;
    memcpy(buf + p, text, tlen);
    memcpy(buf + L - ARCH_FROM_END, big_endian ? "bigend  " : "litend  ", 8);
    memcpy(buf + L - END_LEN, END_MARK, END_LEN);
    *len = L;
    return buf;
}

/* "SIZE  yyyy Mon dd hh:mm:ss  " for the local time, like KRC's Fortran writer
 * (the day of the month padded with a blank, not a zero).
 * Month names come from a fixed table so the result ignores the C locale. */
static void default_date(char *out, size_t cap)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tmv;
    if (now == (time_t)-1 || localtime_r(&now, &tmv) == NULL || tmv.tm_mon < 0 || tmv.tm_mon > 11) {
        snprintf(out, cap, "SIZE  ");
        return;
    }
    snprintf(out, cap, "SIZE  %04d %s %2d %02d:%02d:%02d  ", tmv.tm_year + 1900,
             mon[tmv.tm_mon], tmv.tm_mday, tmv.tm_hour, tmv.tm_min, tmv.tm_sec);
}

/*
 * The process umask, read without changing it (umask() would briefly alter a
 * process-wide setting, which is not thread-safe).  Linux reports it in
 * /proc/self/status; elsewhere fall back to the usual 022.
 */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL) return mask;
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end = NULL;
            unsigned long v = strtoul(line + 6, &end, 8);
            if (end != line + 6) mask = (mode_t)(v & 0777);
            break;
        }
    }
    fclose(f);
    return mask;
}

/*
 * The file a write of `path` replaces: `path` itself, or the end of the chain
 * of symbolic links it starts (which need not exist yet).  Refuses a target
 * that exists and is not a regular file.  Returns a heap string, or NULL with
 * *status set (message in errbuf).
 */
static char *write_target(const char *path, int *status, char *errbuf, size_t errcap)
{
    size_t n = strlen(path);
    char *cur = malloc(n + 1);
    if (cur == NULL) {
        *status = fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");
        return NULL;
    }
    memcpy(cur, path, n + 1);
    for (int depth = 0;; depth++) {
        struct stat st;
        if (lstat(cur, &st) != 0) {
            int e = errno;
            if (e == ENOENT) return cur; /* a new file (possibly a dangling link's target) */
            *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot stat %s: %s", cur,
                           strerror(e));
            free(cur);
            return NULL;
        }
        if (S_ISLNK(st.st_mode)) {
            if (depth >= 40) {
                *status = fail(errbuf, errcap, BIN5_E_OPEN, path,
                               "too many levels of symbolic links");
                free(cur);
                return NULL;
            }
            size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 256;
            char *link = NULL;
            ssize_t got;
            for (;;) {
                char *bigger = realloc(link, cap);
                if (bigger == NULL) {
                    free(link);
                    free(cur);
                    *status = fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");
                    return NULL;
                }
                link = bigger;
                got = readlink(cur, link, cap);
                if (got < 0 || (size_t)got < cap) break;
                cap *= 2;
            }
            if (got < 0) {
                int e = errno;
                *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot read the link %s: %s",
                               cur, strerror(e));
                free(link);
                free(cur);
                return NULL;
            }
            /* A relative link is relative to the folder of the link. */
            const char *slash = link[0] == '/' ? NULL : strrchr(cur, '/');
            size_t dlen = slash != NULL ? (size_t)(slash - cur) + 1 : 0;
            char *next = malloc(dlen + (size_t)got + 1);
            if (next == NULL) {
                free(link);
                free(cur);
                *status = fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");
                return NULL;
            }
            memcpy(next, cur, dlen);
            memcpy(next + dlen, link, (size_t)got);
            next[dlen + (size_t)got] = '\0';
            free(link);
            free(cur);
            cur = next;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "is a directory; give a file name");
            free(cur);
            return NULL;
        }
        if (!S_ISREG(st.st_mode)) {
            *status = fail(errbuf, errcap, BIN5_E_OPEN, path,
                           "is not a regular file (FIFO, device or socket): a bin5 file is "
                           "written beside its target and renamed over it, which would replace "
                           "it; give the name of a regular file");
            free(cur);
            return NULL;
        }
        return cur;
    }
}

int bin5_write(const char *path, int ndim, const int64_t *dims, int type, const void *data,
               const char *text, const char *date, int big_endian, char *errbuf, size_t errcap)
{
    clear_err(errbuf, errcap);
    if (path == NULL || path[0] == '\0')
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_write: empty or NULL path");
    if (ndim < 1 || ndim > BIN5_MAX_DIMS)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "rank %d is outside 1..%d", ndim,
                    BIN5_MAX_DIMS);
    if (dims == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_write: dims is NULL");
    size_t esize = bin5_type_size(type);
    if (esize == 0)
        return fail(errbuf, errcap, BIN5_E_TYPE, path,
                    "unsupported type code %d (supported: 1 uint8, 2 int16, 3 int32, 4 float32, "
                    "5 float64)", type);
    int64_t nelem = 1, nbytes;
    for (int i = 0; i < ndim; i++) {
        if (dims[i] < 1)
            return fail(errbuf, errcap, BIN5_E_DIMS, path,
                        "dimension %d has size %lld; sizes must be at least 1", i + 1,
                        (long long)dims[i]);
        if (!mul64(nelem, dims[i], &nelem))
            return fail(errbuf, errcap, BIN5_E_DIMS, path,
                        "the dimensions' product overflows 64-bit integers");
    }
    if (!mul64(nelem, (int64_t)esize, &nbytes) || (uint64_t)nbytes > (uint64_t)SIZE_MAX)
        return fail(errbuf, errcap, BIN5_E_DIMS, path, "%lld %s elements are too many bytes",
                    (long long)nelem, type_desc(type));
    if (data == NULL)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "bin5_write: data is NULL");
    if (text == NULL) text = "";
    size_t tlen = strlen(text);
    if (tlen > BIN5_TEXT_MAX)
        return fail(errbuf, errcap, BIN5_E_TEXT, path,
                    "header text is %zu bytes long; the limit is %d", tlen, BIN5_TEXT_MAX);
    char datebuf[BIN5_DATE_MAX];
    if (date == NULL) {
        default_date(datebuf, sizeof datebuf);
        date = datebuf;
    } else {
        size_t dl = strlen(date);
        if (dl >= BIN5_DATE_MAX)
            return fail(errbuf, errcap, BIN5_E_ARG, path,
                        "date is %zu bytes long; it must be shorter than %d", dl, BIN5_DATE_MAX);
        if (strstr(date, ">>") != NULL)
            return fail(errbuf, errcap, BIN5_E_ARG, path,
                        "date must not contain '>>' (it would end the date block)");
    }
    big_endian = big_endian != 0;
    int swap = esize > 1 && big_endian != bin5_host_big_endian();

    int64_t L = 0;
    char *head = build_header(ndim, dims, type, nelem, date, text, big_endian, &L);
    if (head == NULL)
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory for the header");
    unsigned char *chunk = NULL;
    if (swap && (chunk = malloc(SWAP_CHUNK)) == NULL) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory for the swap buffer");
    }
    int status = BIN5_OK;
    char *target = write_target(path, &status, errbuf, errcap);
    if (target == NULL) {
        free(chunk);
        free(head);
        return status;
    }
    size_t plen = strlen(target);
    char *tmp = malloc(plen + sizeof ".tmpXXXXXX");
    if (tmp == NULL) {
        free(target);
        free(chunk);
        free(head);
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");
    }
    memcpy(tmp, target, plen);
    memcpy(tmp + plen, ".tmpXXXXXX", sizeof ".tmpXXXXXX");

    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        status = fail(errbuf, errcap, e == ENOMEM ? BIN5_E_NOMEM : BIN5_E_OPEN, path,
                      "cannot create a temporary file beside it: %s", strerror(e));
        goto done;
    }
    /* mkstemp creates 0600; give the file the usual 0644 less the umask. */
    if (fchmod(fd, 0644 & ~current_umask()) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        status = fail(errbuf, errcap, BIN5_E_IO, path, "cannot set the file mode: %s",
                      strerror(e));
        goto done;
    }
    FILE *f = fdopen(fd, "wb");
    if (f == NULL) {
        int e = errno;
        close(fd);
        unlink(tmp);
        status = fail(errbuf, errcap, BIN5_E_IO, path, "cannot write: %s", strerror(e));
        goto done;
    }
    int ok = fwrite(head, 1, (size_t)L, f) == (size_t)L;
    if (ok && !swap) {
        ok = fwrite(data, 1, (size_t)nbytes, f) == (size_t)nbytes;
    } else if (ok) {
        const unsigned char *src = data;
        size_t left = (size_t)nbytes;
        while (ok && left > 0) {
            size_t n = left < SWAP_CHUNK ? left : SWAP_CHUNK; /* multiple of esize */
            memcpy(chunk, src, n);
            swap_elements(chunk, (int64_t)(n / esize), esize);
            ok = fwrite(chunk, 1, n, f) == n;
            src += n;
            left -= n;
        }
    }
    int e = ok ? 0 : errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        status = fail(errbuf, errcap, BIN5_E_IO, path, "write failed: %s",
                      e ? strerror(e) : "short write");
        goto done;
    }
    if (rename(tmp, target) != 0) {
        e = errno;
        unlink(tmp);
        status = fail(errbuf, errcap, BIN5_E_IO, path,
                      "cannot move the finished temporary file into place: %s", strerror(e));
        goto done;
    }
done:
    free(target);
    free(tmp);
    free(chunk);
    free(head);
    return status;
}
