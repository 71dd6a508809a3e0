#include "CWorkbook.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static luban_xlsx functions;
static const luban_xlsx *loaded;
static char error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define FIND(field)                                                                           \
    do {                                                                                      \
        *(void **)(&functions.field) = handle ? dlsym(handle, #field) : NULL;                 \
        if (!functions.field && !error[0]) snprintf(error, sizeof error, "%s", #field);       \
    } while (0)

static void load(void) {
    void *handle = dlopen("libxlsxwriter.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!handle) snprintf(error, sizeof error, "libxlsxwriter.so.4");
    FIND(workbook_new_opt);
    FIND(workbook_add_format);
    FIND(workbook_add_worksheet);
    FIND(workbook_close);
    FIND(format_set_bold);
    FIND(format_set_text_wrap);
    FIND(format_set_align);
    FIND(format_set_num_format);
    FIND(worksheet_set_column);
    FIND(worksheet_set_row);
    FIND(worksheet_freeze_panes);
    FIND(worksheet_gridlines);
    FIND(worksheet_repeat_rows);
    FIND(worksheet_set_header);
    FIND(worksheet_set_footer);
    FIND(worksheet_set_margins);
    FIND(worksheet_set_paper);
    FIND(worksheet_set_portrait);
    FIND(worksheet_set_landscape);
    FIND(format_set_font_size);
    FIND(worksheet_center_horizontally);
    FIND(worksheet_fit_to_pages);
    FIND(worksheet_write_string);
    FIND(worksheet_write_number);
    FIND(worksheet_write_datetime);
    FIND(lxw_strerror);
    if (!error[0]) loaded = &functions;
}

const luban_xlsx *luban_xlsx_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *luban_xlsx_error(void) { return error; }
