#ifndef LUBAN_CPDFREADER_H
#define LUBAN_CPDFREADER_H

// A PDF's document information read as a PDF reader reads it: Poppler (Debian's libpoppler-glib8),
// loaded with dlopen on first use, follows the trailer's /Info through cross-reference tables and
// streams, object streams and incremental updates (the last one counts), and decodes the string
// (PDFDocEncoding, UTF-16 with its byte-order mark, hex or literal) into UTF-8.

#include <stddef.h>

typedef enum {
    LUBAN_PDF_OK = 0,
    LUBAN_PDF_NO_LIBRARY = 1,  // libpoppler-glib could not be loaded; `problem` names it
    LUBAN_PDF_UNREADABLE = 2,  // Poppler could not open the bytes as a PDF; `problem` says why
    LUBAN_PDF_NO_KEYWORDS = 3  // a PDF with no /Keywords in its document information
} luban_pdf_status;

// The /Keywords of the PDF in `data`: on LUBAN_PDF_OK, `*keywords` is a UTF-8 string the caller
// frees with luban_pdf_free. `problem` (of `size` bytes) receives a message otherwise.
luban_pdf_status luban_pdf_keywords(const void *data, size_t length, char **keywords, char *problem, size_t size);

void luban_pdf_free(char *text);

#endif
