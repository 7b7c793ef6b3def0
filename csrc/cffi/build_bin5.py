"""Generate the C source of the cffi API-mode extension ``legacy_wrap._bin5_cffi``.

Run by meson at build time: ``python build_bin5.py OUTPUT.c``.  The cdef below
mirrors csrc/bin5.h (cffi cannot read a header with preprocessor directives);
the C compiler checks it against the real header when the extension builds.
"""

import sys

import cffi

CDEF = """
#define BIN5_MAX_DIMS 8
#define BIN5_TEXT_MAX 65536
#define BIN5_DATE_MAX 64
#define BIN5_ALLOW_TRAILING 1

typedef struct bin5_header {
    int ndim;
    int64_t dims[8];
    int type;
    int64_t nelem;
    int64_t header_len;
    int big_endian;
    char arch[9];
    char date[64];
} bin5_header;

size_t bin5_type_size(int type);
const char *bin5_strerror(int status);
int bin5_host_big_endian(void);
int bin5_read_header(const char *path, bin5_header *hdr,
                     char *text, size_t textcap, size_t *textlen,
                     char *errbuf, size_t errcap);
int bin5_read_header_opt(const char *path, bin5_header *hdr,
                         char *text, size_t textcap, size_t *textlen,
                         unsigned flags, char *errbuf, size_t errcap);
int bin5_read_data(const char *path, const bin5_header *hdr,
                   void *out, int64_t nbytes,
                   char *errbuf, size_t errcap);
int bin5_write(const char *path, int ndim, const int64_t *dims, int type,
               const void *data, const char *text, const char *date,
               int big_endian, char *errbuf, size_t errcap);
"""

ffibuilder = cffi.FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source("legacy_wrap._bin5_cffi", '#include "bin5.h"')

if __name__ == "__main__":
    ffibuilder.emit_c_code(sys.argv[1])
