#include "CPDFReader.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned int domain;
    int code;
    char *message;
} luban_gerror;  // GError

static void *(*document_new_from_data)(char *data, int length, const char *password, luban_gerror **error);
static char *(*document_get_keywords)(void *document);
static void (*object_unref)(void *object);
static void (*g_free_)(void *memory);
static void (*error_free)(luban_gerror *error);
static char missing[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *poppler = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
    void *gobject = dlopen("libgobject-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    void *glib = dlopen("libglib-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!poppler || !gobject || !glib) {
        snprintf(missing, sizeof missing, "%s", !poppler ? "libpoppler-glib.so.8" : !gobject ? "libgobject-2.0.so.0" : "libglib-2.0.so.0");
        return;
    }
    *(void **)(&document_new_from_data) = dlsym(poppler, "poppler_document_new_from_data");
    *(void **)(&document_get_keywords) = dlsym(poppler, "poppler_document_get_keywords");
    *(void **)(&object_unref) = dlsym(gobject, "g_object_unref");
    *(void **)(&g_free_) = dlsym(glib, "g_free");
    *(void **)(&error_free) = dlsym(glib, "g_error_free");
    if (!document_new_from_data || !document_get_keywords || !object_unref || !g_free_ || !error_free)
        snprintf(missing, sizeof missing, "%s", "a function of libpoppler-glib");
}

luban_pdf_status luban_pdf_keywords(const void *data, size_t length, char **keywords, char *problem, size_t size) {
    pthread_once(&once, load);
    *keywords = NULL;
    if (missing[0]) {
        snprintf(problem, size, "%s", missing);
        return LUBAN_PDF_NO_LIBRARY;
    }
    if (length > INT_MAX) {
        snprintf(problem, size, "%s", "larger than 2 GiB");
        return LUBAN_PDF_UNREADABLE;
    }
    luban_gerror *error = NULL;
    // Poppler reads the bytes in place and does not change them.
    void *document = document_new_from_data((char *)data, (int)length, NULL, &error);
    if (!document) {
        snprintf(problem, size, "%s", error && error->message ? error->message : "not a PDF");
        if (error) error_free(error);
        return LUBAN_PDF_UNREADABLE;
    }
    char *found = document_get_keywords(document);
    luban_pdf_status status = LUBAN_PDF_NO_KEYWORDS;
    if (found) {
        *keywords = strdup(found);
        g_free_(found);
        status = *keywords ? LUBAN_PDF_OK : LUBAN_PDF_UNREADABLE;
    }
    object_unref(document);
    return status;
}

void luban_pdf_free(char *text) { free(text); }
