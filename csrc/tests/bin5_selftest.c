/*
 * bin5_selftest -- tests of the bin5 C library: round trips of all five types,
 * ranks 1..5 and both byte orders, header layout and length, empty and long
 * text, the default date, old-style headers, file mode and atomic writes, and
 * every error path of the readers and the writer.  Works in a private
 * temporary directory (under $TMPDIR or /tmp) that it removes at the end.
 * Prints each failure; exit status 0 when everything passes, 1 otherwise.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64
#endif

#include "bin5.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define ERRCAP 1024
#define FIXED_DATE "SIZE  2026 Jan 01 00:00:00  "

static int failures = 0;
static int checks = 0;
static char tmpdir[4096];

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        checks++;                                                               \
        if (!(cond)) {                                                          \
            failures++;                                                         \
            fprintf(stderr, "FAIL %s:%d: (%s) ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

/* buf (4096 bytes) = "<tmpdir>/<name>"; a too-long path is a test-setup bug. */
static const char *tpath(char *buf, const char *name)
{
    int n = snprintf(buf, 4096, "%s/%s", tmpdir, name);
    if (n < 0 || n >= 4096) {
        fprintf(stderr, "bin5_selftest: temporary path too long\n");
        exit(1);
    }
    return buf;
}

static int write_bytes(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    size_t w = n ? fwrite(buf, 1, n, f) : 0;
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* Read a whole file into a new buffer; *n receives its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) break;
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        unsigned char *b2 = realloc(buf, cap * 2);
        if (b2 == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = b2;
        cap *= 2;
    }
    fclose(f);
    *n = len;
    return buf;
}

static int64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) n++;
    closedir(d);
    return n;
}

/* Names in the temp dir containing ".tmp" (leftover temporary files). */
static int count_tmp_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp") != NULL) n++;
    closedir(d);
    return n;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

static void reverse_each(unsigned char *p, size_t nelem, size_t size)
{
    for (size_t i = 0; i < nelem; i++, p += size)
        for (size_t a = 0, b = size - 1; a < b; a++, b--) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
}

/*
 * Build an L-byte header: blank-filled, `start` at offset 0, `arch8` (8 bytes,
 * or NULL to leave blank) at L-13 and "C_END" at L-5 unless end is 0.
 */
static void make_header(char *buf, size_t L, const char *start, const char *arch8, int end)
{
    memset(buf, ' ', L);
    memcpy(buf, start, strlen(start));
    if (arch8 != NULL) memcpy(buf + L - 13, arch8, 8);
    if (end) memcpy(buf + L - 5, "C_END", 5);
}

/* Write a hand-made file: header of L bytes + ndata bytes of data. */
static void make_file(const char *path, size_t L, const char *start, const char *arch8, int end,
                      const void *data, size_t ndata)
{
    char *buf = malloc(L + ndata + 1);
    if (buf == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    make_header(buf, L, start, arch8, end);
    if (ndata) memcpy(buf + L, data, ndata);
    if (write_bytes(path, buf, L + ndata) != 0) fprintf(stderr, "cannot write %s\n", path);
    free(buf);
}

/* Expect bin5_read_header(path) to fail with `want`, mentioning path and `word`. */
static void expect_read_error(const char *path, int want, const char *word, const char *what)
{
    bin5_header h;
    char text[64], err[ERRCAP];
    size_t tl = 99;
    int st = bin5_read_header(path, &h, text, sizeof text, &tl, err, sizeof err);
    CHECK(st == want, "%s: status %d (%s), want %d; message: %s", what, st, bin5_strerror(st),
          want, err);
    CHECK(strncmp(err, path, strlen(path)) == 0, "%s: message does not start with the path: %s",
          what, err);
    CHECK(word == NULL || strstr(err, word) != NULL, "%s: message lacks '%s': %s", what, word,
          err);
    CHECK(st == BIN5_OK || (tl == 0 && text[0] == '\0'), "%s: text not cleared on error", what);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void test_basics(void)
{
    CHECK(bin5_type_size(1) == 1 && bin5_type_size(2) == 2 && bin5_type_size(3) == 4
              && bin5_type_size(4) == 4 && bin5_type_size(5) == 8,
          "type sizes");
    CHECK(bin5_type_size(0) == 0 && bin5_type_size(6) == 0 && bin5_type_size(-1) == 0,
          "unsupported type sizes");
    for (int s = -1; s <= 13; s++)
        CHECK(bin5_strerror(s) != NULL && bin5_strerror(s)[0] != '\0', "strerror(%d)", s);
    CHECK(strcmp(bin5_strerror(BIN5_E_TRUNCATED), "file is truncated") == 0, "strerror text");
    uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    CHECK(bin5_host_big_endian() == (b == 0), "host byte order");
}

static void round_trip(int type, int ndim, const int64_t *dims, int big, const char *text,
                       const char *date)
{
    char path[4096];
    tpath(path, "rt.bin5");
    size_t esize = bin5_type_size(type);
    int64_t nelem = 1;
    for (int i = 0; i < ndim; i++) nelem *= dims[i];
    size_t nbytes = (size_t)nelem * esize;
    unsigned char *data = malloc(nbytes), *back = malloc(nbytes);
    fill(data, nbytes, (unsigned)(type * 131 + ndim * 7 + big));
    if (type == BIN5_F8 && nelem >= 4) { /* special values survive bit-exactly */
        double sp[4] = {0.0, -0.0, HUGE_VAL, NAN};
        memcpy(data, sp, sizeof sp);
    }
    char err[ERRCAP];
    int st = bin5_write(path, ndim, dims, type, data, text, date, big, err, sizeof err);
    CHECK(st == BIN5_OK, "write type %d ndim %d big %d: %s", type, ndim, big, err);
    CHECK(err[0] == '\0', "errbuf not empty after success: %s", err);

    bin5_header h;
    char rtext[256];
    size_t tl = 0;
    st = bin5_read_header(path, &h, rtext, sizeof rtext, &tl, err, sizeof err);
    CHECK(st == BIN5_OK, "read header type %d ndim %d big %d: %s", type, ndim, big, err);
    CHECK(h.ndim == ndim && h.type == type && h.nelem == nelem, "header fields t%d n%d", type,
          ndim);
    for (int i = 0; i < ndim; i++) CHECK(h.dims[i] == dims[i], "dim %d", i);
    CHECK(h.header_len == 512, "header_len %lld", (long long)h.header_len);
    CHECK(h.big_endian == big, "big_endian %d want %d", h.big_endian, big);
    CHECK(strcmp(h.arch, big ? "bigend" : "litend") == 0, "arch '%s'", h.arch);
    CHECK(strcmp(h.date, date) == 0, "date '%s' want '%s'", h.date, date);
    CHECK(strcmp(rtext, text) == 0 && tl == strlen(text), "text '%s' want '%s'", rtext, text);

    memset(back, 0xA5, nbytes);
    st = bin5_read_data(path, &h, back, (int64_t)nbytes, err, sizeof err);
    CHECK(st == BIN5_OK, "read data: %s", err);
    CHECK(memcmp(back, data, nbytes) == 0, "data differ type %d ndim %d big %d", type, ndim, big);

    /* The bytes in the file are in the requested order. */
    size_t fsz = 0;
    unsigned char *raw = slurp(path, &fsz);
    CHECK(raw != NULL && fsz == 512 + nbytes, "file size %zu", fsz);
    if (raw != NULL && fsz == 512 + nbytes) {
        memcpy(back, data, nbytes);
        if (big != bin5_host_big_endian()) reverse_each(back, (size_t)nelem, esize);
        CHECK(memcmp(raw + 512, back, nbytes) == 0, "file byte order type %d big %d", type, big);
    }
    free(raw);
    free(data);
    free(back);
}

static void test_round_trips(void)
{
    const int64_t dims[5] = {3, 2, 4, 1, 2};
    for (int type = 1; type <= 5; type++)
        for (int ndim = 1; ndim <= 5; ndim++)
            for (int big = 0; big <= 1; big++)
                round_trip(type, ndim, dims, big, "round trip text", FIXED_DATE);
    const int64_t d8[8] = {2, 1, 2, 1, 1, 3, 1, 2};
    round_trip(BIN5_I4, 8, d8, 1, "rank eight", FIXED_DATE);
    const int64_t big1[1] = {300000}; /* more than the 1 MiB swap chunk */
    round_trip(BIN5_F8, 1, big1, !bin5_host_big_endian(), "", "");
    round_trip(BIN5_I2, 2, dims, 0, "", "IDL_SIZE + headlen Mon Nov 23 22:47:15 2026 ");
}

/* The header is laid out exactly as KRC's Fortran writer does. */
static void test_exact_layout(void)
{
    char path[4096], err[ERRCAP];
    tpath(path, "layout.bin5");
    const int64_t dims[3] = {4, 3, 2};
    double data[24];
    for (int i = 0; i < 24; i++) data[i] = i * 0.5;
    int st = bin5_write(path, 3, dims, BIN5_F8, data, "regression cube", FIXED_DATE, 0, err,
                        sizeof err);
    CHECK(st == BIN5_OK, "layout write: %s", err);
    char want[512];
    make_header(want, 512, " 3 4 3 2 5 24 512  <<" FIXED_DATE ">>  regression cube", "litend  ",
                1);
    size_t n = 0;
    unsigned char *got = slurp(path, &n);
    CHECK(got != NULL && n == 512 + sizeof data, "layout size %zu", n);
    if (got != NULL && n >= 512) {
        CHECK(memcmp(got, want, 512) == 0, "header bytes differ:\n  got  [%.80s]\n  want [%.80s]",
              (char *)got, want);
        if (!bin5_host_big_endian())
            CHECK(memcmp(got + 512, data, sizeof data) == 0, "little-endian data bytes");
    }
    free(got);

    /* Big-endian writing puts "bigend  " at L-13. */
    st = bin5_write(path, 3, dims, BIN5_F8, data, "regression cube", FIXED_DATE, 7, err,
                    sizeof err);
    got = slurp(path, &n);
    CHECK(st == BIN5_OK && got != NULL && memcmp(got + 499, "bigend  C_END", 13) == 0,
          "bigend word");
    free(got);
}

/* Header length: smallest multiple of 512, the digits of L included. */
static void check_len(const char *text, int64_t want_len, const char *what)
{
    char path[4096], err[ERRCAP];
    tpath(path, "len.bin5");
    const int64_t dims[1] = {1};
    unsigned char byte = 42;
    int st = bin5_write(path, 1, dims, BIN5_U1, &byte, text, "D", 0, err, sizeof err);
    CHECK(st == BIN5_OK, "%s: write: %s", what, err);
    bin5_header h;
    size_t tl = 0, cap = strlen(text) + 1;
    char *back = malloc(cap);
    st = bin5_read_header(path, &h, back, cap, &tl, err, sizeof err);
    CHECK(st == BIN5_OK, "%s: read: %s", what, err);
    CHECK(h.header_len == want_len, "%s: header_len %lld, want %lld", what,
          (long long)h.header_len, (long long)want_len);
    CHECK(file_size(path) == want_len + 1, "%s: file size", what);
    CHECK(tl == strlen(text) && strcmp(back, text) == 0, "%s: text differs (len %zu)", what, tl);
    unsigned char got = 0;
    st = bin5_read_data(path, &h, &got, 1, err, sizeof err);
    CHECK(st == BIN5_OK && got == 42, "%s: data", what);
    free(back);
}

static void test_text_and_length(void)
{
    /* " 1 1 1 1 L  <<D>>  " is 8 + 1 + digits(L) + 4 + 1 + 4 bytes; +13 at the end. */
    size_t n = BIN5_TEXT_MAX + 2;
    char *t = malloc(n);
    memset(t, 'x', n);
    for (size_t i = 0; i < n; i += 97) t[i] = 'a' + (char)(i % 26);

    t[0] = '\0';
    check_len(t, 512, "empty text");
    memset(t, 'x', 478);
    t[478] = '\0';
    check_len(t, 512, "text filling exactly 512");
    t[478] = 'y';
    t[479] = '\0';
    check_len(t, 1024, "one byte more -> 1024");
    memset(t, 'q', 600);
    t[600] = '\0';
    check_len(t, 1024, "600-byte text");
    memset(t, 'w', 2500);
    t[2500] = '\0';
    check_len(t, 2560, "2500-byte text");
    /* fixed part 31 + text; L = 10240 needs 5 digits: 31+10204+5 = 10240 fits... */
    memset(t, 'd', 10204);
    t[10204] = '\0';
    check_len(t, 10240, "digits of L: fits in 10240");
    /* ...one more byte and the 5th digit of L pushes it to the next block. */
    t[10204] = 'd';
    t[10205] = '\0';
    check_len(t, 10752, "digits of L: 10240 -> 10752");
    memset(t, 'm', BIN5_TEXT_MAX);
    t[BIN5_TEXT_MAX] = '\0';
    check_len(t, (31 + BIN5_TEXT_MAX + 5 + 511) / 512 * 512, "BIN5_TEXT_MAX text");

    /* Too long: BIN5_E_TEXT, and an existing file is untouched. */
    char path[4096], err[ERRCAP];
    tpath(path, "keep.bin5");
    const int64_t dims[1] = {3};
    int16_t v[3] = {1, -2, 3};
    int st = bin5_write(path, 1, dims, BIN5_I2, v, "original", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_OK, "keep write: %s", err);
    size_t n0 = 0, n1 = 0;
    unsigned char *before = slurp(path, &n0);
    memset(t, 'z', BIN5_TEXT_MAX + 1);
    t[BIN5_TEXT_MAX + 1] = '\0';
    st = bin5_write(path, 1, dims, BIN5_I2, v, t, FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_TEXT, "over-long text: status %d: %s", st, err);
    CHECK(strstr(err, path) != NULL && strstr(err, "65537") != NULL, "text message: %s", err);
    unsigned char *after = slurp(path, &n1);
    CHECK(before != NULL && after != NULL && n0 == n1 && memcmp(before, after, n0) == 0,
          "existing file changed by a failed write");
    free(before);
    free(after);
    free(t);

    /* Text with special content; surrounding blanks are trimmed on read. */
    const char *special = "a>>b<<c C_END\nline two\tTab ||1.|2.|| Key=value";
    round_trip(BIN5_U1, 1, dims, 0, special, FIXED_DATE);
    tpath(path, "trim.bin5");
    st = bin5_write(path, 1, dims, BIN5_I2, v, "   padded text  ", FIXED_DATE, 0, err,
                    sizeof err);
    bin5_header h;
    char small[6];
    size_t tl = 0;
    st = bin5_read_header(path, &h, small, sizeof small, &tl, err, sizeof err);
    CHECK(st == BIN5_OK && tl == 11 && strcmp(small, "padde") == 0,
          "trimmed + truncated text '%s' len %zu", small, tl);
    st = bin5_read_header(path, &h, NULL, 0, NULL, err, sizeof err);
    CHECK(st == BIN5_OK, "NULL text with textcap 0: %s", err);
}

static void test_default_date(void)
{
    char path[4096], err[ERRCAP];
    tpath(path, "date.bin5");
    const int64_t dims[1] = {2};
    float v[2] = {1.5f, -2.25f};
    int st = bin5_write(path, 1, dims, BIN5_F4, v, "now", NULL, 0, err, sizeof err);
    CHECK(st == BIN5_OK, "default date write: %s", err);
    bin5_header h;
    st = bin5_read_header(path, &h, NULL, 0, NULL, err, sizeof err);
    CHECK(st == BIN5_OK, "default date read: %s", err);
    /* "SIZE  2026 Nov 23 23:21:17  " */
    const char *d = h.date;
    int ok = strlen(d) == 28 && strncmp(d, "SIZE  ", 6) == 0 && strcmp(d + 26, "  ") == 0
             && d[10] == ' ' && d[14] == ' ' && d[17] == ' ' && d[20] == ':' && d[23] == ':';
    const char *months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int mon_ok = 0;
    for (int m = 0; m < 12; m++)
        if (strncmp(d + 11, months + 3 * m, 3) == 0) mon_ok = 1;
    CHECK(ok && mon_ok, "default date '%s'", d);

    st = bin5_write(path, 1, dims, BIN5_F4, v, "", "a date that is much too long to fit "
                    "into the sixty-four byte date field", 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "long date: %d %s", st, err);
    st = bin5_write(path, 1, dims, BIN5_F4, v, "", "SIZE >> x", 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG && strstr(err, ">>") != NULL, "date with >>: %d %s", st, err);
}

/* Headers written by older writers. */
static void test_old_headers(void)
{
    char path[4096], err[ERRCAP];
    bin5_header h;
    char text[128];
    int16_t want[6] = {1, -2, 300, -32768, 32767, 0};
    unsigned char be[12], le[12];
    for (int i = 0; i < 6; i++) {
        uint16_t u = (uint16_t)want[i];
        be[2 * i] = (unsigned char)(u >> 8);
        be[2 * i + 1] = (unsigned char)(u & 0xFF);
        le[2 * i] = (unsigned char)(u & 0xFF);
        le[2 * i + 1] = (unsigned char)(u >> 8);
    }
    struct {
        const char *arch8;
        int big;
        const char *word;
    } cases[] = {
        {"   sparc", 1, "sparc"}, {"   alpha", 0, "alpha"}, {"x86     ", 0, "x86"},
        {"x86_64  ", 0, "x86_64"}, {"ppc     ", 0, "ppc"}, {"  bigend", 1, "bigend"},
    };
    tpath(path, "old.bin5");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        /* No header-length integer: N + 3 integers, L = 512. */
        make_file(path, 512, " 2 3 2 2 6 <<IDL_SIZE + headlen Thu Jan  1 1998>>old file",
                  cases[c].arch8, 1, cases[c].big ? be : le, 12);
        size_t tl = 0;
        int st = bin5_read_header(path, &h, text, sizeof text, &tl, err, sizeof err);
        CHECK(st == BIN5_OK, "old header %s: %s", cases[c].word, err);
        CHECK(h.header_len == 512 && h.big_endian == cases[c].big
                  && strcmp(h.arch, cases[c].word) == 0,
              "old header %s: L %lld big %d arch '%s'", cases[c].word, (long long)h.header_len,
              h.big_endian, h.arch);
        CHECK(strcmp(text, "old file") == 0 && strcmp(h.date, "IDL_SIZE + headlen Thu Jan  1 1998") == 0,
              "old header text '%s' date '%s'", text, h.date);
        int16_t got[6] = {0};
        st = bin5_read_data(path, &h, got, sizeof got, err, sizeof err);
        CHECK(st == BIN5_OK && memcmp(got, want, sizeof want) == 0, "old data %s: %s",
              cases[c].word, err);
    }
    /* Extra bytes after the data are refused, unless BIN5_ALLOW_TRAILING. */
    unsigned char extra[20];
    memcpy(extra, le, 12);
    memset(extra + 12, 0xEE, 8);
    make_file(path, 1024, " 2 3 2 2 6 1024 <<x>>", "litend  ", 1, extra, sizeof extra);
    size_t tl0 = 99;
    int st = bin5_read_header(path, &h, text, sizeof text, &tl0, err, sizeof err);
    CHECK(st == BIN5_E_TRAILING && strstr(err, path) != NULL
              && strstr(err, "longer than its header says") != NULL
              && strstr(err, "6 int16 elements (12 bytes) after a 1024-byte header, but 20 bytes "
                             "follow (8 extra)") != NULL
              && h.ndim == 0 && tl0 == 0 && text[0] == '\0',
          "trailing bytes refused: %d %s", st, err);
    st = bin5_read_header_opt(path, &h, text, sizeof text, NULL, 0u, err, sizeof err);
    CHECK(st == BIN5_E_TRAILING, "trailing bytes refused with flags 0: %d", st);
    st = bin5_read_header_opt(path, &h, text, sizeof text, NULL, BIN5_ALLOW_TRAILING, err,
                              sizeof err);
    CHECK(st == BIN5_OK && h.header_len == 1024 && text[0] == '\0' && strcmp(h.date, "x") == 0,
          "1024 header + trailing bytes allowed: %s", err);
    CHECK(strcmp(bin5_strerror(BIN5_E_TRAILING), "file is longer than its header says") == 0,
          "strerror 13");
    int16_t got[6] = {0};
    st = bin5_read_data(path, &h, got, sizeof got, err, sizeof err);
    CHECK(st == BIN5_OK && memcmp(got, want, sizeof want) == 0, "trailing bytes data: %s", err);
}

static void test_read_errors(void)
{
    char path[4096], err[ERRCAP];
    unsigned char zeros[64] = {0};

    /* Truncated data: the message of the ABI description. */
    tpath(path, "trunc.bin5");
    {
        const int64_t dims[5] = {24, 7, 3, 9, 1};
        double *d = calloc(4536, sizeof *d);
        int st = bin5_write(path, 5, dims, BIN5_F8, d, "KRCv3.6.5    file type 52", FIXED_DATE,
                            0, err, sizeof err);
        CHECK(st == BIN5_OK, "trunc setup: %s", err);
        free(d);
        CHECK(truncate(path, 512 + 1000) == 0, "truncate");
        expect_read_error(path, BIN5_E_TRUNCATED, NULL, "truncated data");
        bin5_header h;
        bin5_read_header(path, &h, NULL, 0, NULL, err, sizeof err);
        char want[ERRCAP];
        int wn = snprintf(want, sizeof want,
                 "%s: file is truncated: header says 4536 float64 elements (36288 bytes) after "
                 "a 512-byte header but only 1000 bytes follow", path);
        CHECK(wn > 0 && (size_t)wn < sizeof want && strcmp(err, want) == 0, "truncation message:\n  got  %s\n  want %s", err, want);
        CHECK(truncate(path, 300) == 0, "truncate");
        expect_read_error(path, BIN5_E_TRUNCATED, "truncated", "truncated header");
    }
    /* Data truncated between bin5_read_header and bin5_read_data. */
    {
        const int64_t dims[1] = {100};
        int32_t d[100] = {0};
        int st = bin5_write(path, 1, dims, BIN5_I4, d, "", FIXED_DATE, 0, err, sizeof err);
        bin5_header h;
        st = bin5_read_header(path, &h, NULL, 0, NULL, err, sizeof err);
        CHECK(st == BIN5_OK, "setup: %s", err);
        CHECK(truncate(path, 512 + 100) == 0, "truncate");
        st = bin5_read_data(path, &h, d, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_TRUNCATED && strstr(err, path) != NULL, "late truncation: %d %s", st,
              err);
        st = bin5_read_data(path, &h, d, 399, err, sizeof err);
        CHECK(st == BIN5_E_SIZE && strstr(err, "399") != NULL, "wrong nbytes: %d %s", st, err);
        bin5_header bad = h;
        bad.type = 9;
        st = bin5_read_data(path, &bad, d, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_TYPE, "read_data bad type: %d %s", st, err);
        bad = h;
        bad.nelem = 99;
        st = bin5_read_data(path, &bad, d, 396, err, sizeof err);
        CHECK(st == BIN5_E_ARG, "read_data inconsistent hdr: %d %s", st, err);
        st = bin5_read_data(path, &h, NULL, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_ARG, "read_data NULL out: %d %s", st, err);
        st = bin5_read_data(NULL, &h, d, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_ARG, "read_data NULL path: %d %s", st, err);
        st = bin5_read_data(path, NULL, d, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_ARG, "read_data NULL hdr: %d %s", st, err);
        char missing[4096];
        st = bin5_read_data(tpath(missing, "gone.bin5"), &h, d, sizeof d, err, sizeof err);
        CHECK(st == BIN5_E_OPEN, "read_data missing file: %d %s", st, err);
    }

    tpath(path, "bad.bin5");
    make_file(path, 512, " 1 4 1 4 1000  <<x>>", "litend  ", 1, zeros, 4);
    expect_read_error(path, BIN5_E_HEADER, "multiple of 512", "header length 1000");
    make_file(path, 512, " 1 4 1 4 0  <<x>>", "litend  ", 1, zeros, 4);
    expect_read_error(path, BIN5_E_HEADER, "multiple of 512", "header length 0");
    make_file(path, 512, " 1 4 1 4 1024  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_TRUNCATED, "truncated", "header length > file");
    {   /* says 1024, but the header written is 512 bytes (+ enough data). */
        unsigned char pad[1024] = {0};
        make_file(path, 512, " 1 4 1 4 1024  <<x>>", "litend  ", 1, pad, sizeof pad);
        expect_read_error(path, BIN5_E_HEADER, "C_END", "wrong header length");
    }
    make_file(path, 512, " 1 4 7 4 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_TYPE, "type code 7", "type 7");
    make_file(path, 512, " 1 4 0 4 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_TYPE, "type code 0", "type 0");
    make_file(path, 512, " 2 3 4 5 11 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_DIMS, "12", "count mismatch");
    make_file(path, 512, " 2 0 4 5 0 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_DIMS, "at least 1", "zero dimension");
    make_file(path, 512, " 2 -3 4 5 -12 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_DIMS, NULL, "negative dimension");
    make_file(path, 512, " 9 1 1 1 1 1 1 1 1 1 1 1 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_DIMS, "outside 1..8", "rank 9");
    make_file(path, 512, " 0 1 1 512  <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_DIMS, "outside 1..8", "rank 0");
    make_file(path, 512, " 1 4 1 4 512  <<x>>", "litend  ", 0, zeros, 64);
    expect_read_error(path, BIN5_E_HEADER, "C_END", "missing C_END");
    make_file(path, 512, " 1 4 1 4 512  <<x>>", "vax     ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_ARCH, "'vax'", "unknown arch");
    make_file(path, 512, " 1 4 1 4 512  <<x>>", NULL, 1, zeros, 64);
    expect_read_error(path, BIN5_E_ARCH, "no architecture word", "blank arch");
    make_file(path, 512, " 1 4 1 4 512  <<x  no end", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_HEADER, ">>", "unclosed date");
    make_file(path, 512, " 1 4 1 <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_NOT_BIN5, "leading integers", "too few integers");
    make_file(path, 512, " 1 4 1 4 512", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_NOT_BIN5, "not a bin5", "no date block");
    make_file(path, 512, " 1 4 one 4 512 <<x>>", "litend  ", 1, zeros, 64);
    expect_read_error(path, BIN5_E_NOT_BIN5, "not a bin5", "word among integers");

    /* Files that are not bin5 at all. */
    write_bytes(path, "hello world\n", 12);
    expect_read_error(path, BIN5_E_NOT_BIN5, "not a bin5", "short text file");
    write_bytes(path, "", 0);
    expect_read_error(path, BIN5_E_NOT_BIN5, "empty", "empty file");
    {
        unsigned char junk[700];
        fill(junk, sizeof junk, 99);
        write_bytes(path, junk, sizeof junk);
        expect_read_error(path, BIN5_E_NOT_BIN5, "not a bin5", "binary junk");
    }
    /* Directory and missing path. */
    expect_read_error(tmpdir, BIN5_E_OPEN, "directory", "directory");
    char missing[4096];
    expect_read_error(tpath(missing, "no-such.bin5"), BIN5_E_OPEN, "No such file", "missing");

    /* Argument errors and error-buffer handling. */
    bin5_header h;
    char text[8];
    int st = bin5_read_header(NULL, &h, NULL, 0, NULL, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL path: %d", st);
    st = bin5_read_header(path, NULL, NULL, 0, NULL, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL hdr: %d", st);
    st = bin5_read_header(path, &h, NULL, 5, NULL, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL text with textcap: %d", st);
    st = bin5_read_header(missing, &h, text, sizeof text, NULL, NULL, 0);
    CHECK(st == BIN5_E_OPEN, "NULL errbuf: %d", st);
    char tiny[10];
    memset(tiny, 'Q', sizeof tiny);
    st = bin5_read_header(missing, &h, text, sizeof text, NULL, tiny, sizeof tiny);
    CHECK(st == BIN5_E_OPEN && strlen(tiny) == sizeof tiny - 1, "small errbuf: '%s'", tiny);
    char one[1] = {'Q'};
    st = bin5_read_header(missing, &h, text, sizeof text, NULL, one, 1);
    CHECK(st == BIN5_E_OPEN && one[0] == '\0', "errcap 1");
}

static void test_write_errors(void)
{
    char path[4096], err[ERRCAP];
    tpath(path, "w.bin5");
    const int64_t dims[2] = {2, 2};
    int32_t v[4] = {1, 2, 3, 4};
    int st = bin5_write(path, 0, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG && strstr(err, path) != NULL, "rank 0: %d %s", st, err);
    st = bin5_write(path, 9, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "rank 9: %d %s", st, err);
    st = bin5_write(path, 2, NULL, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL dims: %d %s", st, err);
    st = bin5_write(path, 2, dims, BIN5_I4, NULL, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL data: %d %s", st, err);
    st = bin5_write(NULL, 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "NULL path: %d %s", st, err);
    st = bin5_write("", 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_ARG, "empty path: %d %s", st, err);
    st = bin5_write(path, 2, dims, 6, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_TYPE, "type 6: %d %s", st, err);
    const int64_t zero[2] = {2, 0};
    st = bin5_write(path, 2, zero, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_DIMS, "zero dim: %d %s", st, err);
    const int64_t huge[3] = {INT64_C(1) << 40, INT64_C(1) << 40, 2};
    st = bin5_write(path, 3, huge, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_DIMS, "overflowing dims: %d %s", st, err);
    CHECK(file_size(path) == -1, "failed writes created the file");

    /* Directory that does not exist. */
    char nodir[4096];
    tpath(nodir, "no-such-dir/x.bin5");
    st = bin5_write(nodir, 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_OPEN && strstr(err, nodir) != NULL, "missing dir: %d %s", st, err);

    /* Target is a directory: the rename fails, nothing is left behind. */
    char dpath[4096];
    tpath(dpath, "adir");
    CHECK(mkdir(dpath, 0755) == 0, "mkdir");
    char inner[4096];
    tpath(inner, "adir/inside");
    write_bytes(inner, "keep", 4);
    st = bin5_write(dpath, 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_OPEN && strstr(err, dpath) != NULL && strstr(err, "is a directory"),
          "directory target: %d %s", st, err);
    CHECK(count_tmp_leftovers(tmpdir) == 0, "temporary file left behind");
    CHECK(file_size(inner) == 4, "directory contents changed");
    unlink(inner);
    rmdir(dpath);

    /* Overwriting an existing file works; the new contents replace it. */
    st = bin5_write(path, 2, dims, BIN5_I4, v, "first", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_OK, "first write: %s", err);
    int32_t w[4] = {5, 6, 7, 8}, back[4];
    st = bin5_write(path, 2, dims, BIN5_I4, w, "second", FIXED_DATE, 1, err, sizeof err);
    CHECK(st == BIN5_OK, "overwrite: %s", err);
    bin5_header h;
    char text[32];
    st = bin5_read_header(path, &h, text, sizeof text, NULL, err, sizeof err);
    CHECK(st == BIN5_OK && strcmp(text, "second") == 0 && h.big_endian == 1, "overwritten hdr");
    st = bin5_read_data(path, &h, back, sizeof back, err, sizeof err);
    CHECK(st == BIN5_OK && memcmp(back, w, sizeof w) == 0, "overwritten data");
    CHECK(count_tmp_leftovers(tmpdir) == 0, "temporary file left behind after success");

    /* File mode: 0644 less the umask. */
    mode_t old = umask(022);
    bin5_write(path, 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    struct stat st1;
    CHECK(stat(path, &st1) == 0 && (st1.st_mode & 0777) == 0644, "mode with umask 022: %o",
          (unsigned)(st1.st_mode & 0777));
    umask(077);
    bin5_write(path, 2, dims, BIN5_I4, v, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(stat(path, &st1) == 0 && (st1.st_mode & 0777) == 0600, "mode with umask 077: %o",
          (unsigned)(st1.st_mode & 0777));
    umask(old);

    /* errbuf may be NULL. */
    st = bin5_write(path, 0, dims, BIN5_I4, v, "", FIXED_DATE, 0, NULL, 0);
    CHECK(st == BIN5_E_ARG, "NULL errbuf write: %d", st);

    /* A symbolic link is written through: the target is replaced, the link stays. */
    char link1[4096], link2[4096], real[4096], sub[4096];
    tpath(sub, "sub");
    CHECK(mkdir(sub, 0755) == 0, "mkdir sub");
    tpath(real, "sub/real.bin5");
    tpath(link1, "link1.bin5");
    tpath(link2, "link2.bin5");
    write_bytes(real, "old", 3);
    CHECK(symlink("sub/real.bin5", link1) == 0, "symlink 1");   /* relative to its folder */
    CHECK(symlink(link1, link2) == 0, "symlink 2");             /* absolute, two levels */
    st = bin5_write(link2, 2, dims, BIN5_I4, w, "via link", FIXED_DATE, 0, err, sizeof err);
    struct stat ls;
    CHECK(st == BIN5_OK && lstat(link1, &ls) == 0 && S_ISLNK(ls.st_mode) && lstat(link2, &ls) == 0
              && S_ISLNK(ls.st_mode), "links kept: %d %s", st, err);
    st = bin5_read_header(real, &h, text, sizeof text, NULL, err, sizeof err);
    CHECK(st == BIN5_OK && strcmp(text, "via link") == 0, "target written through links: %s", err);
    CHECK(count_tmp_leftovers(tmpdir) == 0 && count_tmp_leftovers(sub) == 0,
          "temporary file left behind (link)");
    /* A dangling link creates its target. */
    char dang[4096], made[4096];
    tpath(dang, "dangling.bin5");
    tpath(made, "sub/new.bin5");
    CHECK(symlink("sub/new.bin5", dang) == 0, "symlink dangling");
    st = bin5_write(dang, 2, dims, BIN5_I4, w, "new", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_OK && lstat(dang, &ls) == 0 && S_ISLNK(ls.st_mode) && file_size(made) > 0,
          "dangling link: %d %s", st, err);
    /* A link loop is refused. */
    char loop1[4096], loop2[4096];
    tpath(loop1, "loop1");
    tpath(loop2, "loop2");
    CHECK(symlink("loop2", loop1) == 0 && symlink("loop1", loop2) == 0, "symlink loop");
    st = bin5_write(loop1, 2, dims, BIN5_I4, w, "", FIXED_DATE, 0, err, sizeof err);
    CHECK(st == BIN5_E_OPEN && strstr(err, "too many levels") != NULL, "link loop: %d %s", st,
          err);
    /* A FIFO (and a link to it) is refused and stays a FIFO. */
    char fifo[4096], tofifo[4096];
    tpath(fifo, "fifo");
    tpath(tofifo, "to-fifo.bin5");
    CHECK(mkfifo(fifo, 0644) == 0, "mkfifo");
    CHECK(symlink("fifo", tofifo) == 0, "symlink fifo");
    const char *specials[2] = {fifo, tofifo};
    for (int k = 0; k < 2; k++) {
        st = bin5_write(specials[k], 2, dims, BIN5_I4, w, "", FIXED_DATE, 0, err, sizeof err);
        CHECK(st == BIN5_E_OPEN && strstr(err, specials[k]) != NULL
                  && strstr(err, "is not a regular file") != NULL,
              "FIFO target %s: %d %s", specials[k], st, err);
        CHECK(stat(fifo, &ls) == 0 && S_ISFIFO(ls.st_mode), "the FIFO was replaced");
    }
    CHECK(count_tmp_leftovers(tmpdir) == 0, "temporary file left behind (FIFO)");
    const char *gone[] = {link1, link2, real, dang, made, loop1, loop2, fifo, tofifo};
    for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++) unlink(gone[k]);
    rmdir(sub);
}

static void cleanup_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        int n = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (n > 0 && (size_t)n < sizeof p) unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0') base = "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/bin5_selftest.XXXXXX", base);
    if (mkdtemp(tmpdir) == NULL) {
        fprintf(stderr, "bin5_selftest: cannot create a temporary directory in %s: %s\n", base,
                strerror(errno));
        return 1;
    }
    int fds0 = count_fds();

    test_basics();
    test_round_trips();
    test_exact_layout();
    test_text_and_length();
    test_default_date();
    test_old_headers();
    test_read_errors();
    test_write_errors();

    int fds1 = count_fds();
    CHECK(fds0 == fds1, "file descriptors leaked: %d open before, %d after", fds0, fds1);
    cleanup_dir(tmpdir);
    if (failures) {
        fprintf(stderr, "bin5_selftest: %d of %d checks FAILED\n", failures, checks);
        return 1;
    }
    printf("bin5_selftest: all %d checks passed\n", checks);
    return 0;
}
