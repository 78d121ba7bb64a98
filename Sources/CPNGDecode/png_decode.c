#include "png_decode.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Where the compressed bytes come from: a memory buffer or an open file.
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    FILE *file;
    int truncated;
    int read_errno;
    char message[192];
    char warning[192];
} png_source;

static void on_error(png_structp png, png_const_charp message) {
    png_source *source = png_get_error_ptr(png);
    // libpng names the broken IHDR field ("Image width is zero in IHDR") only in a warning
    // just before failing with a generic "Invalid IHDR data"; the specific one is more useful.
    const char *shown = strcmp(message, "Invalid IHDR data") == 0 && source->warning[0] ? source->warning : message;
    snprintf(source->message, sizeof source->message, "%s", shown);
    png_longjmp(png, 1);
}

// Warnings (bad ancillary CRCs, odd ICC profiles) do not stop PIL from loading the pixels, so they
// do not stop us either; printing them would scribble over the terminal UI. The last is kept in
// case an error follows that it explains.
static void on_warning(png_structp png, png_const_charp message) {
    png_source *source = png_get_error_ptr(png);
    snprintf(source->warning, sizeof source->warning, "%s", message);
}

static size_t take_bytes(png_source *source, unsigned char *out, size_t count) {
    if (source->file) {
        size_t got = fread(out, 1, count, source->file);
        if (got < count && ferror(source->file)) source->read_errno = errno ? errno : EIO;
        return got;
    }
    size_t left = source->size - source->offset;
    size_t got = count < left ? count : left;
    memcpy(out, source->data + source->offset, got);
    source->offset += got;
    return got;
}

static void read_bytes(png_structp png, png_bytep out, size_t count) {
    png_source *source = png_get_io_ptr(png);
    if (take_bytes(source, out, count) != count) {
        if (!source->read_errno) source->truncated = 1;
        png_error(png, "unexpected end of data");
    }
}

// PIL's alpha_composite over an opaque white background reduces to this rounding of
// c*a/255 + 255*(1 - a/255); checked against Pillow for every (c, a) pair.
static inline unsigned char over_white(unsigned int c, unsigned int a) {
    if (a == 0) return 255;
    unsigned int v = c * a + 255u * (255u - a) + 128u;
    return (unsigned char)((v + (v >> 8)) >> 8);
}

static png_decode_status finish_failure(png_source *source, png_decode_status status,
                                        png_decode_result *result) {
    if (source->read_errno) {
        snprintf(result->message, sizeof result->message, "%s", strerror(source->read_errno));
        return PNG_DECODE_IO;
    }
    if (source->truncated) {
        snprintf(result->message, sizeof result->message, "truncated PNG data");
        return PNG_DECODE_TRUNCATED;
    }
    snprintf(result->message, sizeof result->message, "%s", source->message);
    return status;
}

static png_decode_status decode(png_source *source, png_alpha_mode alpha, uint64_t max_pixels,
                                png_decode_result *result) {
    unsigned char signature[8];
    size_t got = take_bytes(source, signature, sizeof signature);
    if (source->read_errno) return finish_failure(source, PNG_DECODE_IO, result);
    if (got == 0) {
        snprintf(result->message, sizeof result->message, "file is empty");
        return PNG_DECODE_EMPTY;
    }
    if (png_sig_cmp(signature, 0, got) != 0) {
        snprintf(result->message, sizeof result->message, "not a PNG file");
        return PNG_DECODE_NOT_PNG;
    }
    if (got < sizeof signature) {
        source->truncated = 1;
        return finish_failure(source, PNG_DECODE_TRUNCATED, result);
    }

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, source, on_error, on_warning);
    if (!png) return PNG_DECODE_OUT_OF_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return PNG_DECODE_OUT_OF_MEMORY;
    }

    // Locals changed after setjmp must be volatile to be trusted after the longjmp.
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return finish_failure(source, PNG_DECODE_CORRUPT, result);
    }

    // libpng's own cap (1e6 per side) would turn a merely huge image into a cryptic error;
    // the pixel budget below is the limit we mean.
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_read_fn(png, source, read_bytes);
    png_set_sig_bytes(png, (int)sizeof signature);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    result->width = width;
    result->height = height;
    // Refuse before any pixel memory exists: a 60-byte file can claim 10^10 pixels.
    if ((uint64_t)width * height > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(result->message, sizeof result->message, "image too large");
        return PNG_DECODE_TOO_LARGE;
    }

    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    // PIL unpacks 16-bit RGB(A)/LA samples by keeping the high byte (no rounding), as strip_16 does.
    png_set_strip_16(png);
    if (!(color_type & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
    size_t channels;
    if (alpha == PNG_ALPHA_COMPOSITE_WHITE) {
        if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
        png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
        channels = 4;
    } else {
        png_set_strip_alpha(png);
        channels = 3;
    }
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t row_bytes = (size_t)width * channels;
    if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "unsupported pixel layout");

    pixels = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(result->message, sizeof result->message, "out of memory");
        return PNG_DECODE_OUT_OF_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + row_bytes * y;
    // Everything after the last image row (text chunks, IEND) is ignored, as PIL does.
    png_read_image(png, rows);
    free(rows);
    rows = NULL;
    png_destroy_read_struct(&png, &info, NULL);

    if (channels == 4) {
        // Compact RGBA into RGB in place: pixel i is read whole before bytes 3i..3i+2 are written,
        // and those never reach pixel i+1 at 4i+4.
        size_t count = (size_t)width * height;
        unsigned char *rgb = pixels;
        for (size_t i = 0; i < count; i++) {
            unsigned char r = pixels[4 * i], g = pixels[4 * i + 1], b = pixels[4 * i + 2];
            unsigned char a = pixels[4 * i + 3];
            rgb[3 * i] = over_white(r, a);
            rgb[3 * i + 1] = over_white(g, a);
            rgb[3 * i + 2] = over_white(b, a);
        }
        unsigned char *shrunk = realloc(pixels, count * 3 ? count * 3 : 1);
        if (shrunk) pixels = shrunk;
    }
    result->pixels = pixels;
    return PNG_DECODE_OK;
}

png_decode_status png_decode_memory(const void *data, size_t size, png_alpha_mode alpha,
                                    uint64_t max_pixels, png_decode_result *result) {
    memset(result, 0, sizeof *result);
    png_source source = {0};
    source.data = data;
    source.size = data ? size : 0;
    return decode(&source, alpha, max_pixels, result);
}

png_decode_status png_decode_file(const char *path, png_alpha_mode alpha,
                                  uint64_t max_pixels, png_decode_result *result) {
    memset(result, 0, sizeof *result);
    png_source source = {0};
    source.file = fopen(path, "rb");
    if (!source.file) {
        snprintf(result->message, sizeof result->message, "%s", strerror(errno));
        return PNG_DECODE_IO;
    }
    png_decode_status status = decode(&source, alpha, max_pixels, result);
    fclose(source.file);
    return status;
}

void png_decode_free_pixels(png_decode_result *result) {
    free(result->pixels);
    result->pixels = NULL;
}
