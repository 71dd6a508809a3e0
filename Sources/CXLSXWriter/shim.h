// libxlsxwriter (Debian: libxlsxwriter-dev), which writes Excel .xlsx workbooks.
#include <xlsxwriter.h>
