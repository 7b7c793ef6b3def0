/*
 * bin5tool -- command-line front end of the bin5 library (the library's
 * stand-in "original executable"; see usage() below).
 * Exit status: 0 success, 1 a bin5/file error, 2 a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include "bin5.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERRCAP 1024

static void usage(FILE *out)
{
    fputs("usage: bin5tool info FILE\n"
          "       bin5tool dump FILE\n"
          "       bin5tool raw FILE OUT\n"
          "       bin5tool write [--text S] [--date S] [--big-endian] TYPE DIMS RAW OUT\n"
          "       bin5tool convert [--text S] [--date S] [--big-endian|--little-endian] IN OUT\n"
          "TYPE is u1|i2|i4|f4|f8 (or 1..5); DIMS is comma-separated, fastest first (e.g. 24,7,3);\n"
          "RAW is a file of the elements in host byte order, Fortran order.\n",
          out);
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "bin5tool: %s\n", msg);
    usage(stderr);
    return 2;
}

static int lib_error(int status, const char *errbuf)
{
    fprintf(stderr, "bin5tool: %s\n", errbuf[0] ? errbuf : bin5_strerror(status));
    return 1;
}

static const char *type_label(int type)
{
    static const char *const names[] = {"?", "u1", "i2", "i4", "f4", "f8"};
    return (type >= 1 && type <= 5) ? names[type] : "?";
}

static int parse_type(const char *s)
{
    static const char *const names[] = {"u1", "i2", "i4", "f4", "f8"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) return i + 1;
    if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '5') return s[0] - '0';
    return 0;
}

/* Read the header and the data of a file; caller frees *data. */
static int load(const char *path, bin5_header *h, char **text, void **data, char *err)
{
    *text = malloc(BIN5_TEXT_MAX + 1);
    *data = NULL;
    if (*text == NULL) return BIN5_E_NOMEM;
    int st = bin5_read_header(path, h, *text, BIN5_TEXT_MAX + 1, NULL, err, ERRCAP);
    if (st != BIN5_OK) return st;
    int64_t nbytes = h->nelem * (int64_t)bin5_type_size(h->type);
    *data = malloc(nbytes > 0 ? (size_t)nbytes : 1);
    if (*data == NULL) return BIN5_E_NOMEM;
    return bin5_read_data(path, h, *data, nbytes, err, ERRCAP);
}

static int cmd_info(const char *path)
{
    char err[ERRCAP] = "";
    bin5_header h;
    char *text = malloc(BIN5_TEXT_MAX + 1);
    if (text == NULL) return lib_error(BIN5_E_NOMEM, "");
    int st = bin5_read_header(path, &h, text, BIN5_TEXT_MAX + 1, NULL, err, ERRCAP);
    if (st != BIN5_OK) {
        free(text);
        return lib_error(st, err);
    }
    printf("ndim: %d\ndims:", h.ndim);
    for (int i = 0; i < h.ndim; i++) printf(" %lld", (long long)h.dims[i]);
    printf("\ntype: %d %s\nnelem: %lld\nheader_len: %lld\nbyte_order: %s\narch: %s\ndate: %s\ntext: %s\n",
           h.type, type_label(h.type), (long long)h.nelem, (long long)h.header_len,
           h.big_endian ? "big" : "little", h.arch, h.date, text);
    free(text);
    return 0;
}

static int cmd_dump(const char *path)
{
    char err[ERRCAP] = "";
    bin5_header h;
    char *text;
    void *data;
    int st = load(path, &h, &text, &data, err);
    if (st == BIN5_OK) {
        for (int64_t i = 0; i < h.nelem; i++) {
            switch (h.type) {
            case BIN5_U1: printf("%lld\n", (long long)((const uint8_t *)data)[i]); break;
            case BIN5_I2: printf("%lld\n", (long long)((const int16_t *)data)[i]); break;
            case BIN5_I4: printf("%lld\n", (long long)((const int32_t *)data)[i]); break;
            case BIN5_F4: printf("%.17g\n", (double)((const float *)data)[i]); break;
            default: printf("%.17g\n", ((const double *)data)[i]); break;
            }
        }
    }
    free(text);
    free(data);
    return st == BIN5_OK ? 0 : lib_error(st, err);
}

/* Write bytes to OUT through a temporary file and a rename. */
static int write_raw(const char *out, const void *data, size_t n)
{
    size_t len = strlen(out) + 16;
    char *tmp = malloc(len);
    if (tmp == NULL) return lib_error(BIN5_E_NOMEM, "");
    snprintf(tmp, len, "%s.tmpXXXXXX", out);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int ok = f != NULL && fwrite(data, 1, n, f) == n;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok) {
        (void)chmod(tmp, 0644);
        ok = rename(tmp, out) == 0;
    }
    if (!ok) {
        fprintf(stderr, "bin5tool: %s: cannot write: %s\n", out, strerror(errno));
        if (fd >= 0) unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : 1;
}

static int cmd_raw(const char *path, const char *out)
{
    char err[ERRCAP] = "";
    bin5_header h;
    char *text;
    void *data;
    int st = load(path, &h, &text, &data, err);
    int rc = st == BIN5_OK ? write_raw(out, data, (size_t)(h.nelem * (int64_t)bin5_type_size(h.type)))
                           : lib_error(st, err);
    free(text);
    free(data);
    return rc;
}

static int cmd_write(const char *text, const char *date, int big, const char *type_s,
                     const char *dims_s, const char *raw, const char *out)
{
    int type = parse_type(type_s);
    if (type == 0) return usage_error("TYPE must be u1, i2, i4, f4, f8 or 1..5");
    int64_t dims[BIN5_MAX_DIMS];
    int ndim = 0;
    const char *p = dims_s;
    while (*p) {
        char *end;
        errno = 0;
        long long d = strtoll(p, &end, 10);
        if (end == p || errno || d < 1 || ndim == BIN5_MAX_DIMS || (*end != ',' && *end != '\0'))
            return usage_error("DIMS must be 1 to 8 positive integers separated by commas");
        dims[ndim++] = d;
        p = *end == ',' ? end + 1 : end;
    }
    if (ndim == 0) return usage_error("DIMS is empty");
    int64_t nelem = 1;
    for (int i = 0; i < ndim; i++) nelem *= dims[i];
    size_t nbytes = (size_t)nelem * bin5_type_size(type);
    struct stat stt;
    if (stat(raw, &stt) != 0 || !S_ISREG(stt.st_mode)) {
        fprintf(stderr, "bin5tool: %s: cannot open the raw data file\n", raw);
        return 1;
    }
    if ((size_t)stt.st_size != nbytes) {
        fprintf(stderr, "bin5tool: %s: holds %lld bytes, but %s with dims %s needs %zu\n", raw,
                (long long)stt.st_size, type_label(type), dims_s, nbytes);
        return 1;
    }
    void *data = malloc(nbytes);
    FILE *f = fopen(raw, "rb");
    int ok = data != NULL && f != NULL && fread(data, 1, nbytes, f) == nbytes;
    if (f != NULL) fclose(f);
    if (!ok) {
        free(data);
        fprintf(stderr, "bin5tool: %s: read error\n", raw);
        return 1;
    }
    char err[ERRCAP] = "";
    int st = bin5_write(out, ndim, dims, type, data, text, date, big, err, ERRCAP);
    free(data);
    return st == BIN5_OK ? 0 : lib_error(st, err);
}

static int cmd_convert(const char *text, const char *date, int order, const char *in, const char *out)
{
    char err[ERRCAP] = "";
    bin5_header h;
    char *old_text;
    void *data;
    int st = load(in, &h, &old_text, &data, err);
    if (st == BIN5_OK)
        st = bin5_write(out, h.ndim, h.dims, h.type, data, text ? text : old_text,
                        date ? date : h.date, order < 0 ? h.big_endian : order, err, ERRCAP);
    free(old_text);
    free(data);
    return st == BIN5_OK ? 0 : lib_error(st, err);
}

int main(int argc, char **argv)
{
    const char *text = NULL, *date = NULL;
    int order = -1; /* -1 keep, 0 little, 1 big */
    const char *pos[8];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--text") == 0 || strcmp(a, "--date") == 0) {
            if (i + 1 >= argc) return usage_error("option needs a value");
            if (a[2] == 't') text = argv[++i]; else date = argv[++i];
        } else if (strcmp(a, "--big-endian") == 0) {
            order = 1;
        } else if (strcmp(a, "--little-endian") == 0) {
            order = 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1] == '-') {
            return usage_error("unknown option");
        } else {
            if (npos == 8) return usage_error("too many arguments");
            pos[npos++] = a;
        }
    }
    if (npos == 0) return usage_error("missing command");
    const char *cmd = pos[0];
    if (strcmp(cmd, "info") == 0 && npos == 2) return cmd_info(pos[1]);
    if (strcmp(cmd, "dump") == 0 && npos == 2) return cmd_dump(pos[1]);
    if (strcmp(cmd, "raw") == 0 && npos == 3) return cmd_raw(pos[1], pos[2]);
    if (strcmp(cmd, "write") == 0 && npos == 5)
        return cmd_write(text, date, order == 1, pos[1], pos[2], pos[3], pos[4]);
    if (strcmp(cmd, "convert") == 0 && npos == 3) return cmd_convert(text, date, order, pos[1], pos[2]);
    return usage_error("unknown command or wrong number of arguments");
}
