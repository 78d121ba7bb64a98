// A setjmp-guarded PNG reader for Swift.
//
// libpng reports errors by longjmp-ing out of its own frames; Swift code must never be on the stack
// when that happens, so all libpng calls live here and every failure comes back as a status code
// plus a short message.
#ifndef FACECAP_PNG_DECODE_H
#define FACECAP_PNG_DECODE_H

#include <stddef.h>
#include <stdint.h>

// Same outcomes in the same order as jpeg_decode_status: Swift reads both as one DecodeStatus.
typedef enum {
    PNG_DECODE_OK = 0,
    PNG_DECODE_EMPTY,          // zero bytes
    PNG_DECODE_NOT_PNG,        // signature mismatch
    PNG_DECODE_TRUNCATED,      // data ended before the image was complete
    PNG_DECODE_CORRUPT,        // libpng rejected the stream; message says why
    PNG_DECODE_TOO_LARGE,      // width * height over max_pixels; width/height are set
    PNG_DECODE_OUT_OF_MEMORY,
    PNG_DECODE_IO,             // the file could not be opened or read; message says why
} png_decode_status;

typedef enum {
    // What PIL's Image.convert("RGB") does: alpha and tRNS are ignored.
    PNG_ALPHA_DROP = 0,
    // What transformers 5.x convert_to_rgb does: composite over opaque white with PIL's
    // alpha_composite rounding. tRNS counts as alpha.
    PNG_ALPHA_COMPOSITE_WHITE = 1,
} png_alpha_mode;

typedef struct {
    uint32_t width;
    uint32_t height;
    // RGB8, row-major, width * height * 3 bytes; owned by the caller after success,
    // release with png_decode_free_pixels.
    unsigned char *pixels;
    char message[192];
} png_decode_result;

png_decode_status png_decode_memory(const void *data, size_t size, png_alpha_mode alpha,
                                    uint64_t max_pixels, png_decode_result *result);

png_decode_status png_decode_file(const char *path, png_alpha_mode alpha,
                                  uint64_t max_pixels, png_decode_result *result);

void png_decode_free_pixels(png_decode_result *result);

#endif
