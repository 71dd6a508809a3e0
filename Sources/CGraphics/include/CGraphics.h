#ifndef LUBAN_CGRAPHICS_H
#define LUBAN_CGRAPHICS_H

// Cairo (PDF pages), Pango (text shaped and laid out, CJK line breaking) and libqrencode, loaded
// with dlopen the first time a document is made: a luban that prints no PDF never maps them,
// so every other command starts as fast as before (linking them costs each process about
// 4 ms of start-up). Only the functions luban calls are declared, with their C signatures;
// the types are opaque.

#include <stddef.h>

#include "CPDFReader.h"
#include "CWorkbook.h"

typedef struct luban_cairo luban_cairo;               // cairo_t
typedef struct luban_surface luban_surface;           // cairo_surface_t
typedef struct luban_layout luban_layout;             // PangoLayout
typedef struct luban_font luban_font;                 // PangoFontDescription

typedef struct {
    int version;
    int width;
    unsigned char *data;  // width * width modules; bit 0 set = dark
} luban_qrcode;                                        // QRcode

typedef struct {
    // cairo
    luban_surface *(*pdf_surface_create)(const char *filename, double width, double height);
    void (*pdf_surface_set_metadata)(luban_surface *, int key, const char *value);
    luban_surface *(*image_surface_create_from_png)(const char *filename);
    int (*image_surface_get_width)(luban_surface *);
    int (*image_surface_get_height)(luban_surface *);
    int (*surface_status)(luban_surface *);
    void (*surface_finish)(luban_surface *);
    void (*surface_destroy)(luban_surface *);
    luban_cairo *(*create)(luban_surface *);
    int (*status)(luban_cairo *);
    void (*destroy)(luban_cairo *);
    void (*show_page)(luban_cairo *);
    void (*save)(luban_cairo *);
    void (*restore)(luban_cairo *);
    void (*set_source_rgb)(luban_cairo *, double r, double g, double b);
    void (*set_source_surface)(luban_cairo *, luban_surface *, double x, double y);
    void (*set_line_width)(luban_cairo *, double);
    void (*set_dash)(luban_cairo *, const double *dashes, int count, double offset);
    void (*move_to)(luban_cairo *, double x, double y);
    void (*line_to)(luban_cairo *, double x, double y);
    void (*rectangle)(luban_cairo *, double x, double y, double w, double h);
    void (*arc)(luban_cairo *, double xc, double yc, double radius, double angle1, double angle2);
    void (*new_path)(luban_cairo *);
    void (*stroke)(luban_cairo *);
    void (*fill)(luban_cairo *);
    void (*paint)(luban_cairo *);
    void (*translate)(luban_cairo *, double x, double y);
    void (*scale)(luban_cairo *, double x, double y);
    // pango
    luban_layout *(*create_layout)(luban_cairo *);
    void (*show_layout)(luban_cairo *, luban_layout *);
    void (*layout_set_text)(luban_layout *, const char *text, int length);
    void (*layout_set_font_description)(luban_layout *, const luban_font *);
    void (*layout_set_width)(luban_layout *, int width);
    void (*layout_set_alignment)(luban_layout *, int alignment);
    void (*layout_set_wrap)(luban_layout *, int wrap);
    void (*layout_set_spacing)(luban_layout *, int spacing);
    void (*layout_get_pixel_size)(luban_layout *, int *width, int *height);
    int (*layout_get_unknown_glyphs_count)(luban_layout *);
    luban_font *(*font_description_from_string)(const char *text);
    void (*font_description_free)(luban_font *);
    void (*object_unref)(void *);
    // qrencode
    luban_qrcode *(*qr_encode_data)(int size, const unsigned char *data, int version, int level);
    void (*qr_free)(luban_qrcode *);
} luban_graphics;

/// The loaded functions, or NULL when a library is missing; `luban_graphics_error` then names it.
const luban_graphics *luban_graphics_load(void);
const char *luban_graphics_error(void);

#endif
