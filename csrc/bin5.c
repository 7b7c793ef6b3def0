/*
 * bin5.c -- the bin5 array-file container (see bin5.h for the ABI and
 * ../shared/spec/krc-formats.md section 3.1 for the format facts).
 */
#define _POSIX_C_SOURCE 200809L

#include "bin5.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARCH_OFFSET 13 /* arch word starts 13 bytes before the end of the header */
#define END_MARK "C_END"

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
    case BIN5_E_OPEN: return "cannot open file";
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
    default: return "unknown status";
    }
}

int bin5_host_big_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 0;
}

/* Format a message "path: ..." into errbuf and return status. */
static int fail(char *errbuf, size_t errcap, int status, const char *path, const char *fmt, ...)
{
    if (errbuf != NULL && errcap > 0) {
        int n = snprintf(errbuf, errcap, "%s: ", path != NULL ? path : "(null)");
        if (n >= 0 && (size_t)n < errcap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(errbuf + n, errcap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return status;
}

static const char *type_name(int type)
{
    static const char *const names[] = {"?", "u1", "i2", "i4", "f4", "f8"};
    return (type >= 1 && type <= 5) ? names[type] : "?";
}

/* Multiply with overflow check; returns 0 on overflow. */
static int mul_ok(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0) return 0;
    if (a != 0 && b > INT64_MAX / a) return 0;
    *out = a * b;
    return 1;
}

/* Classify an architecture word: 1 big, 0 little, -1 unknown. */
static int arch_order(const char *word)
{
    if (strcmp(word, "bigend") == 0 || strcmp(word, "sparc") == 0) return 1;
    if (strcmp(word, "litend") == 0 || strcmp(word, "alpha") == 0 || strcmp(word, "ppc") == 0
        || strcmp(word, "x86") == 0 || strcmp(word, "x86_64") == 0)
        return 0;
    return -1;
}

static void swap_bytes(void *data, int64_t nelem, size_t size)
{
    unsigned char *p = data;
    if (size < 2) return;
    for (int64_t i = 0; i < nelem; i++, p += size) {
        for (size_t a = 0, b = size - 1; a < b; a++, b--) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
    }
}

/* Open a regular file for reading; reports directories and missing files. */
static FILE *open_regular(const char *path, int64_t *size, char *errbuf, size_t errcap, int *status)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "is a directory, not a bin5 file");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    *size = (int64_t)st.st_size;
    *status = BIN5_OK;
    return f;
}

/* Trim blanks (and tabs/newlines/NULs) at both ends, in place; returns the new start. */
static char *trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return s;
}

/* Parse the leading blank-separated integers of the header (up to "<<").
 * Returns how many were read (at most cap). */
static int leading_integers(const char *head, size_t len, int64_t *vals, int cap, int *junk)
{
    int count = 0;
    size_t i = 0;
    *junk = 0;
    while (i < len) {
        while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n')) i++;
        if (i >= len || head[i] == '<') break;
        size_t start = i;
        int neg = 0;
        if (head[i] == '-' || head[i] == '+') { neg = head[i] == '-'; i++; }
        int64_t v = 0;
        int digits = 0;
        while (i < len && head[i] >= '0' && head[i] <= '9') {
            if (v > (INT64_MAX - 9) / 10) { *junk = 1; return count; }
            v = v * 10 + (head[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || (i < len && head[i] != ' ' && head[i] != '\t' && head[i] != '<')) {
            (void)start;
            *junk = 1;
            return count;
        }
        if (count == cap) { *junk = 1; return count; }
        vals[count++] = neg ? -v : v;
    }
    return count;
}

int bin5_read_header(const char *path, bin5_header *hdr, char *text, size_t textcap,
                     size_t *textlen, char *errbuf, size_t errcap)
{
    if (errbuf != NULL && errcap > 0) errbuf[0] = '\0';
    if (path == NULL || hdr == NULL || (text == NULL && textcap > 0))
        return fail(errbuf, errcap, BIN5_E_ARG, path, "invalid argument to bin5_read_header");
    memset(hdr, 0, sizeof *hdr);
    if (text != NULL && textcap > 0) text[0] = '\0';
    if (textlen != NULL) *textlen = 0;

    int status;
    int64_t fsize = 0;
    FILE *f = open_regular(path, &fsize, errbuf, errcap, &status);
    if (f == NULL) return status;

    /* The integers live in the first block; read it to learn L. */
    char first[BIN5_BLOCK + 1];
    size_t got = fread(first, 1, BIN5_BLOCK, f);
    first[got] = '\0';
    if (got < BIN5_BLOCK) {
        fclose(f);
        if (got == 0)
            return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path, "empty file, not a bin5 file");
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: %zu bytes, shorter than the smallest bin5 header (512 bytes)", got);
    }
    const char *lt = memchr(first, '<', BIN5_BLOCK);
    size_t intlen = lt != NULL ? (size_t)(lt - first) : BIN5_BLOCK;
    int64_t v[BIN5_MAX_DIMS + 4];
    int junk = 0;
    int nv = leading_integers(first, intlen, v, BIN5_MAX_DIMS + 4, &junk);
    if (lt == NULL || nv < 1) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path,
                    "not a bin5 file: the header does not start with the array size integers "
                    "followed by a <<date>> block");
    }
    int64_t ndim = v[0];
    if (ndim < 1 || ndim > BIN5_MAX_DIMS) {
        fclose(f);
        return fail(errbuf, errcap, ndim < 0 || junk ? BIN5_E_NOT_BIN5 : BIN5_E_DIMS, path,
                    "number of dimensions %lld is outside 1..%d", (long long)ndim, BIN5_MAX_DIMS);
    }
    if (junk || (nv != ndim + 3 && nv != ndim + 4)) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_NOT_BIN5, path,
                    "not a bin5 file: expected %lld or %lld leading integers (ndim, dims, type, "
                    "count[, header length]), found %d", (long long)(ndim + 3),
                    (long long)(ndim + 4), nv);
    }
    hdr->ndim = (int)ndim;
    int64_t product = 1;
    for (int i = 0; i < hdr->ndim; i++) {
        hdr->dims[i] = v[1 + i];
        if (hdr->dims[i] < 1 || !mul_ok(product, hdr->dims[i], &product)) {
            fclose(f);
            return fail(errbuf, errcap, BIN5_E_DIMS, path, "dimension %d has invalid size %lld",
                        i + 1, (long long)hdr->dims[i]);
        }
    }
    hdr->type = (int)v[1 + ndim];
    hdr->nelem = v[2 + ndim];
    hdr->header_len = nv == ndim + 4 ? v[3 + ndim] : BIN5_BLOCK;
    size_t esize = bin5_type_size(hdr->type);
    if (esize == 0) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TYPE, path,
                    "unsupported type code %d (supported: 1 u1, 2 i2, 3 i4, 4 f4, 5 f8)", hdr->type);
    }
    if (hdr->nelem != product) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_DIMS, path,
                    "dimensions multiply to %lld elements but the header says %lld",
                    (long long)product, (long long)hdr->nelem);
    }
    if (hdr->header_len < BIN5_BLOCK || hdr->header_len % BIN5_BLOCK != 0) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_HEADER, path,
                    "header length %lld is not a positive multiple of 512", (long long)hdr->header_len);
    }
    if (hdr->header_len > fsize) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: header length %lld but the file has only %lld bytes",
                    (long long)hdr->header_len, (long long)fsize);
    }

    /* Whole header in memory. */
    char *head = malloc((size_t)hdr->header_len + 1);
    if (head == NULL) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory for a %lld-byte header",
                    (long long)hdr->header_len);
    }
    memcpy(head, first, BIN5_BLOCK);
    size_t rest = (size_t)hdr->header_len - BIN5_BLOCK;
    if (rest > 0 && fread(head + BIN5_BLOCK, 1, rest, f) != rest) {
        free(head);
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_IO, path, "read error in the header");
    }
    fclose(f);
    size_t L = (size_t)hdr->header_len;
    head[L] = '\0';

    if (memcmp(head + L - 5, END_MARK, 5) != 0) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_HEADER, path,
                    "header does not end with C_END at byte %lld: wrong header length?",
                    (long long)(L - 5));
    }
    /* Architecture word: first blank-delimited token of bytes L-13 .. L-6. */
    char archbuf[9];
    memcpy(archbuf, head + L - ARCH_OFFSET, 8);
    archbuf[8] = '\0';
    char *aw = trim(archbuf);
    char *sp = strchr(aw, ' ');
    if (sp != NULL) *sp = '\0';
    snprintf(hdr->arch, sizeof hdr->arch, "%s", aw);
    int order = arch_order(hdr->arch);
    if (order < 0) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_ARCH, path,
                    "unknown architecture word '%s' (expected litend, bigend, sparc, x86, x86_64, "
                    "alpha or ppc): cannot tell the byte order", hdr->arch);
    }
    hdr->big_endian = order;

    /* Date block and free text. */
    char *open_ = strstr(head, "<<");
    char *close_ = open_ != NULL ? strstr(open_ + 2, ">>") : NULL;
    if (close_ == NULL || (size_t)(close_ - head) > L - ARCH_OFFSET) {
        free(head);
        return fail(errbuf, errcap, BIN5_E_HEADER, path, "header has no <<date>> block");
    }
    size_t dlen = (size_t)(close_ - (open_ + 2));
    if (dlen >= sizeof hdr->date) dlen = sizeof hdr->date - 1;
    memcpy(hdr->date, open_ + 2, dlen);
    hdr->date[dlen] = '\0';
    head[L - ARCH_OFFSET] = '\0';
    for (char *c = close_ + 2; c < head + L - ARCH_OFFSET; c++)
        if (*c == '\0') *c = ' ';
    char *t = trim(close_ + 2);
    size_t tl = strlen(t);
    if (textlen != NULL) *textlen = tl;
    if (text != NULL && textcap > 0) {
        size_t n = tl < textcap - 1 ? tl : textcap - 1;
        memcpy(text, t, n);
        text[n] = '\0';
    }
    free(head);

    int64_t nbytes, need;
    if (!mul_ok(hdr->nelem, (int64_t)esize, &nbytes) || nbytes > INT64_MAX - hdr->header_len)
        return fail(errbuf, errcap, BIN5_E_DIMS, path, "array size overflows");
    need = hdr->header_len + nbytes;
    if (fsize < need)
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: header says %lld %s elements (%lld bytes) after a %lld-byte "
                    "header but only %lld bytes follow",
                    (long long)hdr->nelem, type_name(hdr->type), (long long)nbytes,
                    (long long)hdr->header_len, (long long)(fsize - hdr->header_len));
    return BIN5_OK;
}

int bin5_read_data(const char *path, const bin5_header *hdr, void *out, int64_t nbytes,
                   char *errbuf, size_t errcap)
{
    if (errbuf != NULL && errcap > 0) errbuf[0] = '\0';
    if (path == NULL || hdr == NULL || (out == NULL && nbytes > 0))
        return fail(errbuf, errcap, BIN5_E_ARG, path, "invalid argument to bin5_read_data");
    size_t esize = bin5_type_size(hdr->type);
    int64_t want;
    if (esize == 0 || !mul_ok(hdr->nelem, (int64_t)esize, &want))
        return fail(errbuf, errcap, BIN5_E_TYPE, path, "invalid header passed to bin5_read_data");
    if (want != nbytes)
        return fail(errbuf, errcap, BIN5_E_SIZE, path, "buffer holds %lld bytes, the data need %lld",
                    (long long)nbytes, (long long)want);
    int status;
    int64_t fsize = 0;
    FILE *f = open_regular(path, &fsize, errbuf, errcap, &status);
    if (f == NULL) return status;
    if (fsize < hdr->header_len + nbytes) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_TRUNCATED, path,
                    "file is truncated: %lld data bytes expected after the header, %lld present",
                    (long long)nbytes, (long long)(fsize - hdr->header_len));
    }
    if (fseeko(f, (off_t)hdr->header_len, SEEK_SET) != 0) {
        fclose(f);
        return fail(errbuf, errcap, BIN5_E_IO, path, "cannot seek to the data: %s", strerror(errno));
    }
    size_t got = fread(out, 1, (size_t)nbytes, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != (size_t)nbytes)
        return fail(errbuf, errcap, BIN5_E_IO, path, "read error after %zu of %lld data bytes",
                    got, (long long)nbytes);
    if (hdr->big_endian != bin5_host_big_endian()) swap_bytes(out, hdr->nelem, esize);
    return BIN5_OK;
}

/* Build the header text into buf (size L) for the given layout. Returns L or -1. */
static int64_t build_header(char **out, int ndim, const int64_t *dims, int type, int64_t nelem,
                            const char *text, const char *date, int big_endian)
{
    char ints[32 * (BIN5_MAX_DIMS + 4)];
    int n = snprintf(ints, sizeof ints, " %d", ndim);
    for (int i = 0; i < ndim; i++) n += snprintf(ints + n, sizeof ints - (size_t)n, " %lld", (long long)dims[i]);
    n += snprintf(ints + n, sizeof ints - (size_t)n, " %d %lld", type, (long long)nelem);
    size_t fixed = (size_t)n + 1 /* blank before L */ + 2 + 2 + strlen(date) + 2 + 2 + strlen(text)
                   + ARCH_OFFSET;
    int64_t L = BIN5_BLOCK;
    for (;;) { /* the digit count of L is itself part of the header */
        char lbuf[32];
        size_t need = fixed + (size_t)snprintf(lbuf, sizeof lbuf, "%lld", (long long)L);
        int64_t fit = ((int64_t)need + BIN5_BLOCK - 1) / BIN5_BLOCK * BIN5_BLOCK;
        if (fit <= L) break;
        L = fit;
    }
    char *buf = malloc((size_t)L + 1);
    if (buf == NULL) return -1;
    memset(buf, ' ', (size_t)L);
    int m = snprintf(buf, (size_t)L + 1, "%s %lld  <<%s>>  %s", ints, (long long)L, date, text);
    buf[m] = ' '; /* remove snprintf's NUL */
    memcpy(buf + L - ARCH_OFFSET, big_endian ? "bigend  " : "litend  ", 8);
    memcpy(buf + L - 5, END_MARK, 5);
    *out = buf;
    return L;
}

int bin5_write(const char *path, int ndim, const int64_t *dims, int type, const void *data,
               const char *text, const char *date, int big_endian, char *errbuf, size_t errcap)
{
    if (errbuf != NULL && errcap > 0) errbuf[0] = '\0';
    if (path == NULL || dims == NULL || (data == NULL))
        return fail(errbuf, errcap, BIN5_E_ARG, path, "invalid argument to bin5_write");
    if (ndim < 1 || ndim > BIN5_MAX_DIMS)
        return fail(errbuf, errcap, BIN5_E_ARG, path, "rank %d is outside 1..%d", ndim, BIN5_MAX_DIMS);
    size_t esize = bin5_type_size(type);
    if (esize == 0)
        return fail(errbuf, errcap, BIN5_E_TYPE, path, "unsupported type code %d", type);
    int64_t nelem = 1, nbytes;
    for (int i = 0; i < ndim; i++)
        if (dims[i] < 1 || !mul_ok(nelem, dims[i], &nelem))
            return fail(errbuf, errcap, BIN5_E_DIMS, path, "dimension %d has invalid size %lld",
                        i + 1, (long long)dims[i]);
    if (!mul_ok(nelem, (int64_t)esize, &nbytes))
        return fail(errbuf, errcap, BIN5_E_DIMS, path, "array size overflows");
    if (text == NULL) text = "";
    if (strlen(text) > BIN5_TEXT_MAX)
        return fail(errbuf, errcap, BIN5_E_TEXT, path, "header text is %zu bytes, the limit is %d",
                    strlen(text), BIN5_TEXT_MAX);
    char datebuf[BIN5_DATE_MAX];
    if (date == NULL) {
        time_t now = time(NULL);
        struct tm tmv;
        if (localtime_r(&now, &tmv) == NULL || strftime(datebuf, sizeof datebuf, "SIZE  %Y %b %d %H:%M:%S  ", &tmv) == 0)
            snprintf(datebuf, sizeof datebuf, "SIZE ");
        date = datebuf;
    } else if (strlen(date) >= BIN5_DATE_MAX || strstr(date, ">>") != NULL) {
        return fail(errbuf, errcap, BIN5_E_ARG, path, "date must be shorter than %d bytes and hold no '>>'",
                    BIN5_DATE_MAX);
    }

    char *head = NULL;
    int64_t L = build_header(&head, ndim, dims, type, nelem, text, date, big_endian);
    if (L < 0) return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");

    /* Data in file byte order. */
    const void *payload = data;
    void *swapped = NULL;
    if (big_endian != bin5_host_big_endian() && esize > 1) {
        swapped = malloc((size_t)nbytes);
        if (swapped == NULL) {
            free(head);
            return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory for %lld bytes", (long long)nbytes);
        }
        memcpy(swapped, data, (size_t)nbytes);
        swap_bytes(swapped, nelem, esize);
        payload = swapped;
    }

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        free(head);
        free(swapped);
        return fail(errbuf, errcap, BIN5_E_NOMEM, path, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int status = BIN5_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot create a file there: %s", strerror(errno));
    } else {
        /* mkstemp creates 0600; make it an ordinary readable file (umask is
         * process-global and cannot be queried thread-safely, so use 0644). */
        (void)fchmod(fd, 0644);
        FILE *f = fdopen(fd, "wb");
        if (f == NULL) {
            close(fd);
            status = fail(errbuf, errcap, BIN5_E_IO, path, "cannot write: %s", strerror(errno));
        } else {
            int ok = fwrite(head, 1, (size_t)L, f) == (size_t)L
                     && fwrite(payload, 1, (size_t)nbytes, f) == (size_t)nbytes;
            int saved = errno;
            if (fclose(f) != 0 && ok) { ok = 0; saved = errno; }
            if (!ok)
                status = fail(errbuf, errcap, BIN5_E_IO, path, "write failed: %s", strerror(saved));
            else if (rename(tmp, path) != 0)
                status = fail(errbuf, errcap, BIN5_E_OPEN, path, "cannot replace the file: %s",
                              strerror(errno));
        }
        if (status != BIN5_OK) unlink(tmp);
    }
    free(tmp);
    free(head);
    free(swapped);
    return status;
}
