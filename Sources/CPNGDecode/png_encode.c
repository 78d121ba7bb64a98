#include "png_encode.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
    int out_of_memory;
    char message[192];
} png_sink;

static void on_encode_error(png_structp png, png_const_charp message) {
    png_sink *sink = png_get_error_ptr(png);
    snprintf(sink->message, sizeof sink->message, "%s", message);
    png_longjmp(png, 1);
}

static void on_encode_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void write_bytes(png_structp png, png_bytep bytes, size_t count) {
    png_sink *sink = png_get_io_ptr(png);
    if (sink->size + count > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity < sink->size + count) capacity *= 2;
        unsigned char *grown = realloc(sink->data, capacity);
        if (!grown) {
            sink->out_of_memory = 1;
            png_error(png, "out of memory");
        }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, count);
    sink->size += count;
}

static void flush_bytes(png_structp png) { (void)png; }

int png_encode_rgb(const unsigned char *pixels, uint32_t width, uint32_t height, int level,
                   png_encode_result *result) {
    memset(result, 0, sizeof *result);
    // volatile: read after longjmp.
    png_sink *volatile sink = calloc(1, sizeof(png_sink));
    if (!sink) {
        snprintf(result->message, sizeof result->message, "out of memory");
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, on_encode_error, on_encode_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, NULL);
        free(sink);
        snprintf(result->message, sizeof result->message, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        snprintf(result->message, sizeof result->message, "%s", sink->message);
        png_destroy_write_struct(&png, &info);
        free(sink->data);
        free(sink);
        return -1;
    }
    png_set_write_fn(png, sink, write_bytes, flush_bytes);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(pixels + (size_t)y * width * 3));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    result->data = sink->data;
    result->size = sink->size;
    free(sink);
    return 0;
}

void png_encode_free(png_encode_result *result) {
    free(result->data);
    result->data = NULL;
    result->size = 0;
}
