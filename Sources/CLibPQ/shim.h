// PostgreSQL's own client library, libpq (Debian: libpq-dev), for luban-hq only.
#include <libpq-fe.h>
