/*
 * bin5_selftest -- the C library's own tests: round trips of every type,
 * rank and byte order, header text, and every error path.  Runs in the
 * current directory (meson: the build dir); exit 0 when all pass.
 */
#define _POSIX_C_SOURCE 200809L

#include "bin5.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

#define ERRCAP 512

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

static void round_trip(int type, int ndim, const int64_t *dims, int big, const char *text)
{
    const char *path = "selftest_rt.bin5";
    int64_t nelem = 1;
    for (int i = 0; i < ndim; i++) nelem *= dims[i];
    size_t nbytes = (size_t)nelem * bin5_type_size(type);
    unsigned char *in = malloc(nbytes), *out = malloc(nbytes);
    fill(in, nbytes, (unsigned)(type * 31 + ndim));
    if (type == BIN5_F4 || type == BIN5_F8) /* keep floats finite (NaN payloads compare oddly) */
        for (size_t i = 0; i < nbytes; i += bin5_type_size(type)) in[i + bin5_type_size(type) - 1] &= 0x3f;
    char err[ERRCAP];
    int st = bin5_write(path, ndim, dims, type, in, text, "SIZE  test date  ", big, err, ERRCAP);
    CHECK(st == BIN5_OK, "write type %d ndim %d big %d: %s", type, ndim, big, err);
    bin5_header h;
    char *back = malloc(BIN5_TEXT_MAX + 1);
    size_t tl = 0;
    st = bin5_read_header(path, &h, back, BIN5_TEXT_MAX + 1, &tl, err, ERRCAP);
    CHECK(st == BIN5_OK, "read header: %s", err);
    CHECK(h.ndim == ndim && h.type == type && h.nelem == nelem, "header fields");
    for (int i = 0; i < ndim; i++) CHECK(h.dims[i] == dims[i], "dim %d", i);
    CHECK(h.big_endian == big, "byte order");
    CHECK(h.header_len % BIN5_BLOCK == 0, "header length %lld", (long long)h.header_len);
    CHECK(strcmp(back, text) == 0 && tl == strlen(text), "text round trip");
    CHECK(strcmp(h.date, "SIZE  test date  ") == 0, "date '%s'", h.date);
    st = bin5_read_data(path, &h, out, (int64_t)nbytes, err, ERRCAP);
    CHECK(st == BIN5_OK && memcmp(in, out, nbytes) == 0, "data round trip type %d big %d", type, big);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size == h.header_len + (int64_t)nbytes, "file size");
    free(in);
    free(out);
    free(back);
    unlink(path);
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, n, f);
    fclose(f);
}

static char *find(char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0) return hay + i;
    return NULL;
}

/* Write a valid 3x4 f8 file, then patch `old` into `new_` in its header. */
static void patched(const char *path, const char *old, const char *new_, long truncate_to)
{
    double v[12] = {0};
    int64_t dims[2] = {3, 4};
    char err[ERRCAP];
    bin5_write(path, 2, dims, BIN5_F8, v, "x", "SIZE  d  ", 0, err, ERRCAP);
    FILE *f = fopen(path, "rb");
    char buf[512 + 96];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (old != NULL) {
        char *at = find(buf, n, old);
        if (at != NULL) memcpy(at, new_, strlen(new_));
    }
    write_bytes(path, buf, truncate_to >= 0 ? (size_t)truncate_to : n);
}

static void expect_error(const char *path, int want, const char *needle)
{
    bin5_header h;
    char err[ERRCAP] = "";
    int st = bin5_read_header(path, &h, NULL, 0, NULL, err, ERRCAP);
    CHECK(st == want, "%s: status %d, expected %d (%s)", path, st, want, err);
    CHECK(strstr(err, path) != NULL, "message names the file: '%s'", err);
    if (needle != NULL) CHECK(strstr(err, needle) != NULL, "message '%s' lacks '%s'", err, needle);
}

int main(void)
{
    static const int64_t shapes[5][5] = {{7}, {3, 5}, {2, 3, 4}, {5, 1, 3, 2}, {3, 2, 1, 2, 5}};
    char longtext[2601];
    memset(longtext, 'k', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    const char *texts[] = {"", "short text", longtext};
    for (int type = 1; type <= 5; type++)
        for (int nd = 1; nd <= 5; nd++)
            for (int big = 0; big <= 1; big++)
                for (int t = 0; t < 3; t++) round_trip(type, nd, shapes[nd - 1], big, texts[t]);

    /* Header length grows with the text: 2600 chars -> 6 blocks. */
    {
        double v = 1.0;
        int64_t d = 1;
        char err[ERRCAP];
        bin5_header h;
        bin5_write("selftest_long.bin5", 1, &d, BIN5_F8, &v, longtext, NULL, 0, err, ERRCAP);
        CHECK(bin5_read_header("selftest_long.bin5", &h, NULL, 0, NULL, err, ERRCAP) == BIN5_OK
                  && h.header_len == 3072, "long text header length %lld", (long long)h.header_len);
        unlink("selftest_long.bin5");
    }

    /* Error paths. */
    patched("bad_trunc.bin5", NULL, NULL, 512 + 40);
    expect_error("bad_trunc.bin5", BIN5_E_TRUNCATED, "truncated");
    patched("bad_short.bin5", NULL, NULL, 100);
    expect_error("bad_short.bin5", BIN5_E_TRUNCATED, "truncated");
    patched("bad_len.bin5", " 512 ", " 500 ", -1);
    expect_error("bad_len.bin5", BIN5_E_HEADER, "multiple of 512");
    patched("bad_len2.bin5", " 512 ", " 1024", -1);
    expect_error("bad_len2.bin5", BIN5_E_TRUNCATED, NULL);
    patched("bad_type.bin5", " 2 3 4 5 12 ", " 2 3 4 7 12 ", -1);
    expect_error("bad_type.bin5", BIN5_E_TYPE, "type code 7");
    patched("bad_dims.bin5", " 2 3 4 5 12 ", " 2 3 5 5 12 ", -1);
    expect_error("bad_dims.bin5", BIN5_E_DIMS, "15");
    patched("bad_end.bin5", "C_END", "C_EN_", -1);
    expect_error("bad_end.bin5", BIN5_E_HEADER, "C_END");
    patched("bad_arch.bin5", "litend", "vaxend", -1);
    expect_error("bad_arch.bin5", BIN5_E_ARCH, "vaxend");
    {
        char junk[1024];
        memset(junk, 'z', sizeof junk);
        write_bytes("bad_text.bin5", junk, sizeof junk);
        expect_error("bad_text.bin5", BIN5_E_NOT_BIN5, "not a bin5");
        write_bytes("bad_empty.bin5", junk, 0);
        expect_error("bad_empty.bin5", BIN5_E_NOT_BIN5, NULL);
    }
    expect_error("no_such_file.bin5", BIN5_E_OPEN, NULL);
    expect_error(".", BIN5_E_OPEN, "directory");

    /* A failing write leaves nothing behind and keeps the old file. */
    {
        double v[2] = {1, 2};
        int64_t d = 2;
        char err[ERRCAP];
        CHECK(bin5_write("keep.bin5", 1, &d, BIN5_F8, v, "old", NULL, 0, err, ERRCAP) == BIN5_OK, "%s", err);
        int64_t bad = 0;
        CHECK(bin5_write("keep.bin5", 1, &bad, BIN5_F8, v, "new", NULL, 0, err, ERRCAP) == BIN5_E_DIMS, "dims 0");
        CHECK(bin5_write("keep.bin5", 1, &d, 9, v, "new", NULL, 0, err, ERRCAP) == BIN5_E_TYPE, "type 9");
        CHECK(bin5_write("no/such/dir/x.bin5", 1, &d, BIN5_F8, v, "", NULL, 0, err, ERRCAP) == BIN5_E_OPEN,
              "missing dir");
        char text[16];
        bin5_header h;
        CHECK(bin5_read_header("keep.bin5", &h, text, sizeof text, NULL, err, ERRCAP) == BIN5_OK
                  && strcmp(text, "old") == 0, "old file intact");
        /* read into a wrong-size buffer */
        CHECK(bin5_read_data("keep.bin5", &h, v, 8, err, ERRCAP) == BIN5_E_SIZE, "buffer size check");
        unlink("keep.bin5");
    }
    const char *junkfiles[] = {"bad_trunc.bin5", "bad_short.bin5", "bad_len.bin5", "bad_len2.bin5",
                               "bad_type.bin5", "bad_dims.bin5", "bad_end.bin5", "bad_arch.bin5",
                               "bad_text.bin5", "bad_empty.bin5"};
    for (size_t i = 0; i < sizeof junkfiles / sizeof *junkfiles; i++) unlink(junkfiles[i]);
    for (int s = 0; s <= 12; s++) CHECK(bin5_strerror(s)[0] != '\0', "strerror %d", s);

    if (failures) {
        fprintf(stderr, "bin5_selftest: %d failure(s)\n", failures);
        return 1;
    }
    printf("bin5_selftest: all checks passed\n");
    return 0;
}
