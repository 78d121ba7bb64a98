// A setjmp-guarded JPEG reader for Swift, the twin of png_decode.h.
//
// libjpeg reports errors through error_exit, which must not return; it longjmps out of libjpeg's
// frames here, in C, so no Swift frame is ever on the stack when it does. Every failure comes back
// as a status code plus a short message.
#ifndef FACECAP_JPEG_DECODE_H
#define FACECAP_JPEG_DECODE_H

#include <stddef.h>
#include <stdint.h>

// Same outcomes in the same order as png_decode_status: Swift reads both as one DecodeStatus.
typedef enum {
    JPEG_DECODE_OK = 0,
    JPEG_DECODE_EMPTY,          // zero bytes
    JPEG_DECODE_NOT_JPEG,       // no SOI marker at the start
    JPEG_DECODE_TRUNCATED,      // data ended before the image was complete
    JPEG_DECODE_CORRUPT,        // libjpeg rejected the stream; message says why
    JPEG_DECODE_TOO_LARGE,      // width * height over max_pixels; width/height are set
    JPEG_DECODE_OUT_OF_MEMORY,
    JPEG_DECODE_IO,             // the file could not be opened or read; message says why
} jpeg_decode_status;

typedef struct {
    uint32_t width;
    uint32_t height;
    // RGB8, row-major, width * height * 3 bytes; owned by the caller after success,
    // release with jpeg_decode_free_pixels.
    unsigned char *pixels;
    char message[200];
} jpeg_decode_result;

jpeg_decode_status jpeg_decode_memory(const void *data, size_t size, uint64_t max_pixels,
                                      jpeg_decode_result *result);

jpeg_decode_status jpeg_decode_file(const char *path, uint64_t max_pixels, jpeg_decode_result *result);

void jpeg_decode_free_pixels(jpeg_decode_result *result);

#endif
