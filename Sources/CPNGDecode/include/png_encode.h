// A setjmp-guarded PNG writer for Swift, beside the reader for the same reason: libpng longjmps
// out of its own frames on error, so no Swift frame may be on the stack when it does.
#ifndef FACECAP_PNG_ENCODE_H
#define FACECAP_PNG_ENCODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    // The PNG file's bytes; owned by the caller after success, release with png_encode_free.
    unsigned char *data;
    size_t size;
    char message[192];
} png_encode_result;

// RGB8 pixels, row-major, width * height * 3 bytes. level: zlib compression 0-9 (terminal images
// are sent once and thrown away, so a low level that encodes fast is the right trade).
// Returns 0 on success, -1 with message set otherwise.
int png_encode_rgb(const unsigned char *pixels, uint32_t width, uint32_t height, int level,
                   png_encode_result *result);

void png_encode_free(png_encode_result *result);

#endif
