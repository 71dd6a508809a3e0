#include "CGraphics.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static luban_graphics functions;
static const luban_graphics *loaded;
static char error[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *open_library(const char *name) {
    void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!handle && !error[0]) snprintf(error, sizeof error, "%s", name);
    return handle;
}

#define FIND(handle, field, symbol)                                                           \
    do {                                                                                      \
        *(void **)(&functions.field) = handle ? dlsym(handle, symbol) : NULL;                 \
        if (!functions.field && !error[0]) snprintf(error, sizeof error, "%s", symbol);       \
    } while (0)

static void load(void) {
    void *cairo = open_library("libcairo.so.2");
    void *pango = open_library("libpango-1.0.so.0");
    void *pangocairo = open_library("libpangocairo-1.0.so.0");
    void *gobject = open_library("libgobject-2.0.so.0");
    void *qrencode = open_library("libqrencode.so.4");
    FIND(cairo, pdf_surface_create, "cairo_pdf_surface_create");
    FIND(cairo, pdf_surface_set_metadata, "cairo_pdf_surface_set_metadata");
    FIND(cairo, image_surface_create_from_png, "cairo_image_surface_create_from_png");
    FIND(cairo, image_surface_get_width, "cairo_image_surface_get_width");
    FIND(cairo, image_surface_get_height, "cairo_image_surface_get_height");
    FIND(cairo, surface_status, "cairo_surface_status");
    FIND(cairo, surface_finish, "cairo_surface_finish");
    FIND(cairo, surface_destroy, "cairo_surface_destroy");
    FIND(cairo, create, "cairo_create");
    FIND(cairo, status, "cairo_status");
    FIND(cairo, destroy, "cairo_destroy");
    FIND(cairo, show_page, "cairo_show_page");
    FIND(cairo, save, "cairo_save");
    FIND(cairo, restore, "cairo_restore");
    FIND(cairo, set_source_rgb, "cairo_set_source_rgb");
    FIND(cairo, set_source_surface, "cairo_set_source_surface");
    FIND(cairo, set_line_width, "cairo_set_line_width");
    FIND(cairo, set_dash, "cairo_set_dash");
    FIND(cairo, move_to, "cairo_move_to");
    FIND(cairo, line_to, "cairo_line_to");
    FIND(cairo, rectangle, "cairo_rectangle");
    FIND(cairo, arc, "cairo_arc");
    FIND(cairo, new_path, "cairo_new_path");
    FIND(cairo, stroke, "cairo_stroke");
    FIND(cairo, fill, "cairo_fill");
    FIND(cairo, paint, "cairo_paint");
    FIND(cairo, translate, "cairo_translate");
    FIND(cairo, scale, "cairo_scale");
    FIND(pangocairo, create_layout, "pango_cairo_create_layout");
    FIND(pangocairo, show_layout, "pango_cairo_show_layout");
    FIND(pango, layout_set_text, "pango_layout_set_text");
    FIND(pango, layout_set_font_description, "pango_layout_set_font_description");
    FIND(pango, layout_set_width, "pango_layout_set_width");
    FIND(pango, layout_set_alignment, "pango_layout_set_alignment");
    FIND(pango, layout_set_wrap, "pango_layout_set_wrap");
    FIND(pango, layout_set_spacing, "pango_layout_set_spacing");
    FIND(pango, layout_get_pixel_size, "pango_layout_get_pixel_size");
    FIND(pango, layout_get_unknown_glyphs_count, "pango_layout_get_unknown_glyphs_count");
    FIND(pango, font_description_from_string, "pango_font_description_from_string");
    FIND(pango, font_description_free, "pango_font_description_free");
    FIND(gobject, object_unref, "g_object_unref");
    FIND(qrencode, qr_encode_data, "QRcode_encodeData");
    FIND(qrencode, qr_free, "QRcode_free");
    if (!error[0]) loaded = &functions;
}

const luban_graphics *luban_graphics_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *luban_graphics_error(void) { return error; }
