/*
 * bin5tool -- command-line front end of the bin5 library (the library's
 * stand-in "original executable").
 *
 *   bin5tool info FILE
 *   bin5tool dump FILE
 *   bin5tool raw FILE OUT
 *   bin5tool write [--text S] [--date S] [--big-endian|--little-endian] TYPE DIMS RAW OUT
 *   bin5tool convert [--text S] [--date S] [--big-endian|--little-endian] IN OUT
 *
 * Options may appear anywhere among the positional arguments; "--" ends them.
 * Exit status: 0 success, 1 a bin5 or file error ("bin5tool: <message>" on
 * stderr), 2 a usage error (message and usage text on stderr).
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
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define ERRCAP 2048

static const char USAGE[] =
    "usage: bin5tool info FILE\n"
    "       bin5tool dump FILE\n"
    "       bin5tool raw FILE OUT\n"
    "       bin5tool write [--text S] [--date S] [--big-endian] TYPE DIMS RAW OUT\n"
    "       bin5tool convert [--text S] [--date S] [--big-endian|--little-endian] IN OUT\n"
    "TYPE is u1|i2|i4|f4|f8 (or 1..5); DIMS is comma-separated, fastest first (e.g. 24,7,3);\n"
    "RAW is a file of the elements in host byte order, Fortran order.\n";

static const char *const TYPE_NAMES[] = {"?", "u1", "i2", "i4", "f4", "f8"};

static int usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("bin5tool: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(USAGE, stderr);
    return 2;
}

static int report(const char *errbuf, int status)
{
    fprintf(stderr, "bin5tool: %s\n", errbuf[0] != '\0' ? errbuf : bin5_strerror(status));
    return 1;
}

/* Flush stdout and turn a write failure (e.g. a full disk) into exit 1. */
static int finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bin5tool: error writing standard output: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

/* A loaded file: header, text, data (host order). */
typedef struct loaded {
    bin5_header hdr;
    char *text;
    void *data;
    int64_t nbytes;
} loaded;

static void unload(loaded *ld)
{
    free(ld->text);
    free(ld->data);
    ld->text = NULL;
    ld->data = NULL;
}

/* Read header (+ text) and, if want_data, the data.  Returns a bin5 status. */
static int load(const char *path, int want_data, loaded *ld, char *err)
{
    memset(ld, 0, sizeof *ld);
    size_t cap = BIN5_TEXT_MAX + 1, tl = 0;
    ld->text = malloc(cap);
    if (ld->text == NULL) {
        snprintf(err, ERRCAP, "%s: out of memory", path);
        return BIN5_E_NOMEM;
    }
    int st = bin5_read_header(path, &ld->hdr, ld->text, cap, &tl, err, ERRCAP);
    if (st == BIN5_OK && tl >= cap) { /* text longer than usual: read it whole */
        char *bigger = realloc(ld->text, tl + 1);
        if (bigger == NULL) {
            snprintf(err, ERRCAP, "%s: out of memory for a %zu-byte header text", path, tl);
            return BIN5_E_NOMEM;
        }
        ld->text = bigger;
        st = bin5_read_header(path, &ld->hdr, ld->text, tl + 1, &tl, err, ERRCAP);
    }
    if (st != BIN5_OK || !want_data) return st;
    ld->nbytes = ld->hdr.nelem * (int64_t)bin5_type_size(ld->hdr.type);
    ld->data = malloc(ld->nbytes > 0 ? (size_t)ld->nbytes : 1);
    if (ld->data == NULL) {
        snprintf(err, ERRCAP, "%s: out of memory for %lld data bytes", path,
                 (long long)ld->nbytes);
        return BIN5_E_NOMEM;
    }
    return bin5_read_data(path, &ld->hdr, ld->data, ld->nbytes, err, ERRCAP);
}

static int cmd_info(const char *path)
{
    char err[ERRCAP] = "";
    loaded ld;
    int st = load(path, 0, &ld, err);
    if (st != BIN5_OK) {
        unload(&ld);
        return report(err, st);
    }
    const bin5_header *h = &ld.hdr;
    printf("ndim: %d\ndims:", h->ndim);
    for (int i = 0; i < h->ndim; i++) printf(" %lld", (long long)h->dims[i]);
    printf("\ntype: %d %s\n", h->type, TYPE_NAMES[h->type]);
    printf("nelem: %lld\nheader_len: %lld\n", (long long)h->nelem, (long long)h->header_len);
    printf("byte_order: %s\narch: %s\ndate: %s\ntext: %s\n", h->big_endian ? "big" : "little",
           h->arch, h->date, ld.text);
    unload(&ld);
    return finish_stdout();
}

static void print_double(double x)
{
    if (isnan(x))
        fputs("nan\n", stdout); /* glibc would print "-nan" for a negative NaN */
    else
        printf("%.17g\n", x);
}

static int cmd_dump(const char *path)
{
    char err[ERRCAP] = "";
    loaded ld;
    int st = load(path, 1, &ld, err);
    if (st != BIN5_OK) {
        unload(&ld);
        return report(err, st);
    }
    const unsigned char *p = ld.data;
    for (int64_t i = 0; i < ld.hdr.nelem && !ferror(stdout); i++) {
        switch (ld.hdr.type) {
        case BIN5_U1: printf("%lld\n", (long long)p[i]); break;
        case BIN5_I2: {
            int16_t v;
            memcpy(&v, p + 2 * i, 2);
            printf("%lld\n", (long long)v);
            break;
        }
        case BIN5_I4: {
            int32_t v;
            memcpy(&v, p + 4 * i, 4);
            printf("%lld\n", (long long)v);
            break;
        }
        case BIN5_F4: {
            float v;
            memcpy(&v, p + 4 * i, 4);
            print_double((double)v);
            break;
        }
        default: {
            double v;
            memcpy(&v, p + 8 * i, 8);
            print_double(v);
            break;
        }
        }
    }
    unload(&ld);
    return finish_stdout();
}

/* Write bytes to `out` through a temporary file and a rename. */
static int write_atomic(const char *out, const void *buf, size_t n)
{
    size_t plen = strlen(out);
    char *tmp = malloc(plen + sizeof ".tmpXXXXXX");
    if (tmp == NULL) {
        fprintf(stderr, "bin5tool: %s: out of memory\n", out);
        return 1;
    }
    memcpy(tmp, out, plen);
    memcpy(tmp + plen, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "bin5tool: %s: cannot create a temporary file beside it: %s\n", out,
                strerror(errno));
        free(tmp);
        return 1;
    }
    mode_t mask = umask(0); /* single-threaded program: reading the umask is safe */
    umask(mask);
    const char *what = NULL;
    int e = 0;
    FILE *f = NULL;
    if (fchmod(fd, 0644 & ~mask) != 0) {
        what = "cannot set the file mode";
        e = errno;
        close(fd);
    } else if ((f = fdopen(fd, "wb")) == NULL) {
        what = "cannot write";
        e = errno;
        close(fd);
    } else {
        int ok = n == 0 || fwrite(buf, 1, n, f) == n;
        e = ok ? 0 : errno;
        if (fclose(f) != 0 && ok) {
            ok = 0;
            e = errno;
        }
        if (!ok)
            what = "write failed";
        else if (rename(tmp, out) != 0) {
            what = "cannot move the finished temporary file into place";
            e = errno;
        }
    }
    if (what != NULL) {
        unlink(tmp);
        fprintf(stderr, "bin5tool: %s: %s: %s\n", out, what, e ? strerror(e) : "short write");
    }
    free(tmp);
    return what != NULL;
}

static int cmd_raw(const char *path, const char *out)
{
    char err[ERRCAP] = "";
    loaded ld;
    int st = load(path, 1, &ld, err);
    if (st != BIN5_OK) {
        unload(&ld);
        return report(err, st);
    }
    int rc = write_atomic(out, ld.data, (size_t)ld.nbytes);
    unload(&ld);
    return rc;
}

static int parse_type(const char *s)
{
    for (int t = 1; t <= 5; t++)
        if (strcmp(s, TYPE_NAMES[t]) == 0) return t;
    if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0') return s[0] - '0';
    return 0;
}

/* Parse "24,7,3" into dims; returns the rank or 0 if malformed. */
static int parse_dims(const char *s, int64_t *dims)
{
    int n = 0;
    int64_t product = 1;
    const char *p = s;
    for (;;) {
        if (n == BIN5_MAX_DIMS || *p < '0' || *p > '9') return 0;
        int64_t v = 0;
        while (*p >= '0' && *p <= '9') {
            if (v > (INT64_MAX - 9) / 10) return 0;
            v = v * 10 + (*p++ - '0');
        }
        if (v < 1 || v > INT64_MAX / product) return 0;
        product *= v;
        dims[n++] = v;
        if (*p == '\0') return n;
        if (*p++ != ',') return 0;
    }
}

/* Read the whole regular file `path` into a new buffer of exactly `need` bytes. */
static int read_raw(const char *path, const char *type_s, const char *dims_s, int64_t need,
                    void **out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        fprintf(stderr, "bin5tool: %s: cannot open the raw data file: %s\n", path, strerror(e));
        return 1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        fprintf(stderr, "bin5tool: %s: cannot open the raw data file: not a regular file\n",
                path);
        return 1;
    }
    if ((int64_t)st.st_size != need) {
        close(fd);
        fprintf(stderr, "bin5tool: %s: holds %lld bytes, but %s with dims %s needs %lld\n", path,
                (long long)st.st_size, type_s, dims_s, (long long)need);
        return 1;
    }
    FILE *f = fdopen(fd, "rb");
    void *buf = malloc(need > 0 ? (size_t)need : 1);
    if (f == NULL || buf == NULL) {
        if (f != NULL) fclose(f); else close(fd);
        free(buf);
        fprintf(stderr, "bin5tool: %s: cannot read the raw data file: out of memory\n", path);
        return 1;
    }
    size_t got = fread(buf, 1, (size_t)need, f);
    int e = ferror(f) ? errno : 0;
    fclose(f);
    if (got != (size_t)need) {
        free(buf);
        fprintf(stderr, "bin5tool: %s: cannot read the raw data file: %s\n", path,
                e ? strerror(e) : "file shrank while reading");
        return 1;
    }
    *out = buf;
    return 0;
}

static int cmd_write(const char *type_s, const char *dims_s, const char *raw, const char *out,
                     const char *text, const char *date, int order)
{
    int type = parse_type(type_s);
    if (type == 0) return usage_error("TYPE must be u1, i2, i4, f4, f8 or 1..5, not '%s'", type_s);
    int64_t dims[BIN5_MAX_DIMS];
    int ndim = parse_dims(dims_s, dims);
    if (ndim == 0)
        return usage_error("DIMS must be 1 to 8 positive integers separated by commas, not '%s'",
                           dims_s);
    int64_t nelem = 1, need;
    for (int i = 0; i < ndim; i++) nelem *= dims[i];
    if (nelem > INT64_MAX / (int64_t)bin5_type_size(type))
        return usage_error("DIMS '%s' describe too many bytes", dims_s);
    need = nelem * (int64_t)bin5_type_size(type);
    void *data = NULL;
    if (read_raw(raw, type_s, dims_s, need, &data) != 0) return 1;
    char err[ERRCAP] = "";
    int big = order < 0 ? bin5_host_big_endian() : order;
    int st = bin5_write(out, ndim, dims, type, data, text, date, big, err, ERRCAP);
    free(data);
    return st == BIN5_OK ? 0 : report(err, st);
}

static int cmd_convert(const char *in, const char *out, const char *text, const char *date,
                       int order)
{
    char err[ERRCAP] = "";
    loaded ld;
    int st = load(in, 1, &ld, err);
    if (st == BIN5_OK)
        st = bin5_write(out, ld.hdr.ndim, ld.hdr.dims, ld.hdr.type, ld.data,
                        text != NULL ? text : ld.text, date != NULL ? date : ld.hdr.date,
                        order < 0 ? ld.hdr.big_endian : order, err, ERRCAP);
    unload(&ld);
    return st == BIN5_OK ? 0 : report(err, st);
}

int main(int argc, char **argv)
{
    const char *text = NULL, *date = NULL;
    int order = -1; /* -1 keep/host, 0 little, 1 big */
    const char *opt_seen = NULL; /* first option given, to reject it where meaningless */
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (pos == NULL) {
        fputs("bin5tool: out of memory\n", stderr);
        return 1;
    }
    int npos = 0, opts_done = 0, rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || a[1] == '\0') {
            pos[npos++] = a;
        } else if (strcmp(a, "--") == 0) {
            opts_done = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(USAGE, stdout);
            free(pos);
            return finish_stdout();
        } else if (strcmp(a, "--text") == 0 || strcmp(a, "--date") == 0) {
            if (i + 1 >= argc) {
                free(pos);
                return usage_error("option %s needs a value", a);
            }
            if (a[2] == 't') text = argv[++i]; else date = argv[++i];
            if (opt_seen == NULL) opt_seen = a;
        } else if (strcmp(a, "--big-endian") == 0 || strcmp(a, "--little-endian") == 0) {
            int o = a[2] == 'b';
            if (order >= 0 && order != o) {
                free(pos);
                return usage_error("--big-endian and --little-endian exclude each other");
            }
            order = o;
            if (opt_seen == NULL) opt_seen = a;
        } else {
            free(pos);
            return usage_error("unknown option '%s'", a);
        }
    }
    const char *cmd = npos > 0 ? pos[0] : NULL;
    int nargs = npos - 1;
    if (cmd == NULL) {
        rc = usage_error("missing command");
    } else if (strcmp(cmd, "info") == 0 || strcmp(cmd, "dump") == 0 || strcmp(cmd, "raw") == 0) {
        int want = cmd[0] == 'r' ? 2 : 1;
        if (opt_seen != NULL)
            rc = usage_error("option %s does not apply to this command", opt_seen);
        else if (nargs != want)
            rc = usage_error("wrong number of arguments for '%s'", cmd);
        else if (cmd[0] == 'i')
            rc = cmd_info(pos[1]);
        else if (cmd[0] == 'd')
            rc = cmd_dump(pos[1]);
        else
            rc = cmd_raw(pos[1], pos[2]);
    } else if (strcmp(cmd, "write") == 0) {
        if (nargs != 4)
            rc = usage_error("wrong number of arguments for '%s'", cmd);
        else
            rc = cmd_write(pos[1], pos[2], pos[3], pos[4], text, date, order);
    } else if (strcmp(cmd, "convert") == 0) {
        if (nargs != 2)
            rc = usage_error("wrong number of arguments for '%s'", cmd);
        else
            rc = cmd_convert(pos[1], pos[2], text, date, order);
    } else {
        rc = usage_error("unknown command '%s'", cmd);
    }
    free(pos);
    return rc;
}
