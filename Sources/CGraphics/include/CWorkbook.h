#ifndef LUBAN_CWORKBOOK_H
#define LUBAN_CWORKBOOK_H

// libxlsxwriter (Debian: libxlsxwriter4; its header from libxlsxwriter-dev), loaded with dlopen
// the first time a workbook is written, like Cairo and Pango (see CGraphics.h): its types come
// from its header, its functions from the library at run time, so no other command maps it.

#include <xlsxwriter.h>

typedef struct {
    __typeof__(&workbook_new_opt) workbook_new_opt;
    __typeof__(&workbook_add_format) workbook_add_format;
    __typeof__(&workbook_add_worksheet) workbook_add_worksheet;
    __typeof__(&workbook_close) workbook_close;
    __typeof__(&format_set_bold) format_set_bold;
    __typeof__(&format_set_text_wrap) format_set_text_wrap;
    __typeof__(&format_set_align) format_set_align;
    __typeof__(&format_set_num_format) format_set_num_format;
    __typeof__(&worksheet_set_column) worksheet_set_column;
    __typeof__(&worksheet_set_row) worksheet_set_row;
    __typeof__(&worksheet_freeze_panes) worksheet_freeze_panes;
    __typeof__(&worksheet_gridlines) worksheet_gridlines;
    __typeof__(&worksheet_repeat_rows) worksheet_repeat_rows;
    __typeof__(&worksheet_set_header) worksheet_set_header;
    __typeof__(&worksheet_set_footer) worksheet_set_footer;
    __typeof__(&worksheet_set_margins) worksheet_set_margins;
    __typeof__(&worksheet_set_paper) worksheet_set_paper;
    __typeof__(&worksheet_set_portrait) worksheet_set_portrait;
    __typeof__(&worksheet_set_landscape) worksheet_set_landscape;
    __typeof__(&format_set_font_size) format_set_font_size;
    __typeof__(&worksheet_center_horizontally) worksheet_center_horizontally;
    __typeof__(&worksheet_fit_to_pages) worksheet_fit_to_pages;
    __typeof__(&worksheet_write_string) worksheet_write_string;
    __typeof__(&worksheet_write_number) worksheet_write_number;
    __typeof__(&worksheet_write_datetime) worksheet_write_datetime;
    __typeof__(&lxw_strerror) lxw_strerror;
} luban_xlsx;

/// The loaded functions, or NULL when the library is missing; `luban_xlsx_error` names it.
const luban_xlsx *luban_xlsx_load(void);
const char *luban_xlsx_error(void);

#endif
