#include "jpeg_decode.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

// TurboJPEG's own cap on progressive scans (TJFLAG_LIMITSCANS): a few hundred bytes of crafted
// scans can otherwise keep the decoder busy for minutes. Real encoders write about ten.
#define MAX_SCANS 500

typedef struct {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    jpeg_decode_status status;  // what the longjmp means
    FILE *file;                 // the file being read, to tell a read error from a short file
    int read_errno;
    char message[JMSG_LENGTH_MAX];
} guard;

static void fail(j_common_ptr cinfo, jpeg_decode_status status) {
    guard *g = (guard *)cinfo->err;
    if (g->file && ferror(g->file)) {
        g->read_errno = errno ? errno : EIO;
        status = JPEG_DECODE_IO;
    }
    g->status = status;
    (*cinfo->err->format_message)(cinfo, g->message);
    // The Swift side already says "corrupt JPEG data (...)"; libjpeg's own prefix would repeat it.
    static const char prefix[] = "Corrupt JPEG data: ";
    if (strncmp(g->message, prefix, sizeof prefix - 1) == 0) {
        memmove(g->message, g->message + sizeof prefix - 1, strlen(g->message) - (sizeof prefix - 1) + 1);
    }
    longjmp(g->jump, 1);
}

static void on_error(j_common_ptr cinfo) {
    switch (cinfo->err->msg_code) {
    case JERR_INPUT_EMPTY: fail(cinfo, JPEG_DECODE_EMPTY); break;
    case JERR_NO_SOI: fail(cinfo, JPEG_DECODE_NOT_JPEG); break;
    case JERR_INPUT_EOF: fail(cinfo, JPEG_DECODE_TRUNCATED); break;
    case JERR_OUT_OF_MEMORY: fail(cinfo, JPEG_DECODE_OUT_OF_MEMORY); break;
    default: fail(cinfo, JPEG_DECODE_CORRUPT); break;
    }
}

// libjpeg only warns where data is missing or damaged, then makes up the pixels (grey blocks for a
// cut file, smeared blocks after a bad Huffman code) and returns success. A face made up that way
// must not be captioned as if it were real, so those warnings stop the decode. Warnings about
// metadata leave the pixels as encoded and are ignored, as PIL ignores all warnings. Trace messages
// (level >= 0) are never printed: they would scribble over the terminal UI.
static void on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    switch (cinfo->err->msg_code) {
    case JWRN_EXTRANEOUS_DATA:  // junk bytes between segments, skipped
    case JWRN_JFIF_MAJOR:       // unknown JFIF version
    case JWRN_ADOBE_XFORM:      // unknown Adobe transform code: libjpeg guesses from the components
    case JWRN_BOGUS_ICC:        // a broken ICC profile, which facecap does not apply anyway
        return;
    case JWRN_JPEG_EOF:
        fail(cinfo, JPEG_DECODE_TRUNCATED);
        break;
    default:
        fail(cinfo, JPEG_DECODE_CORRUPT);
        break;
    }
}

static void on_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > MAX_SCANS) {
        guard *g = (guard *)cinfo->err;
        g->status = JPEG_DECODE_CORRUPT;
        snprintf(g->message, sizeof g->message, "more than %d progressive scans", MAX_SCANS);
        longjmp(g->jump, 1);
    }
}

// PIL's CMYK -> RGB (Convert.c cmyk2rgb): (255 - k) - c * (255 - k) / 255 with its rounding division.
static inline unsigned char cmyk_channel(unsigned int c, unsigned int k) {
    unsigned int nk = 255u - k;
    unsigned int t = c * nk + 128u;
    return (unsigned char)(nk - ((t + (t >> 8)) >> 8));
}

static jpeg_decode_status decode(struct jpeg_decompress_struct *cinfo, guard *g, uint64_t max_pixels,
                                 jpeg_decode_result *result) {
    // Locals changed after setjmp must be volatile to be trusted after the longjmp.
    unsigned char *volatile pixels = NULL;
    unsigned char *volatile cmyk_row = NULL;
    if (setjmp(g->jump)) {
        free(pixels);
        free(cmyk_row);
        jpeg_destroy_decompress(cinfo);
        if (g->status == JPEG_DECODE_IO) {
            snprintf(result->message, sizeof result->message, "%s", strerror(g->read_errno));
        } else {
            snprintf(result->message, sizeof result->message, "%s", g->message);
        }
        return g->status;
    }

    jpeg_read_header(cinfo, TRUE);
    result->width = cinfo->image_width;
    result->height = cinfo->image_height;
    // Refuse before any pixel memory exists: a 200-byte file can claim 60000x60000 pixels.
    if ((uint64_t)cinfo->image_width * cinfo->image_height > max_pixels) {
        jpeg_destroy_decompress(cinfo);
        snprintf(result->message, sizeof result->message, "image too large");
        return JPEG_DECODE_TOO_LARGE;
    }

    // PIL's decode settings, so the pixels match what the reference loaders see: the accurate
    // integer IDCT (JDCT_ISLOW) and fancy (triangle-filter) chroma upsampling, libjpeg's defaults,
    // set here so a changed default cannot move them. No EXIF rotation, as PIL's Image.open.
    cinfo->dct_method = JDCT_ISLOW;
    cinfo->do_fancy_upsampling = TRUE;
    // Four components (CMYK, or YCCK which libjpeg turns into CMYK) are converted below as PIL
    // does; everything else (YCbCr, RGB, greyscale) libjpeg turns into RGB itself.
    int cmyk = cinfo->num_components == 4;
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(cinfo);
    if (cinfo->output_components != (cmyk ? 4 : 3)) {
        jpeg_destroy_decompress(cinfo);
        snprintf(result->message, sizeof result->message, "unsupported colour layout");
        return JPEG_DECODE_CORRUPT;
    }

    size_t width = cinfo->output_width, height = cinfo->output_height;
    pixels = malloc(width * height * 3 ? width * height * 3 : 1);
    if (cmyk) cmyk_row = malloc(width * 4);
    if (!pixels || (cmyk && !cmyk_row)) {
        free(pixels);
        free(cmyk_row);
        jpeg_destroy_decompress(cinfo);
        snprintf(result->message, sizeof result->message, "out of memory");
        return JPEG_DECODE_OUT_OF_MEMORY;
    }
    while (cinfo->output_scanline < height) {
        size_t y = cinfo->output_scanline;
        unsigned char *out = pixels + y * width * 3;
        JSAMPROW row = cmyk ? cmyk_row : out;
        // The file and memory sources never suspend; 0 rows would mean a source that does.
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
            g->status = JPEG_DECODE_TRUNCATED;
            snprintf(g->message, sizeof g->message, "Premature end of JPEG file");
            longjmp(g->jump, 1);
        }
        if (cmyk) {
            // Photoshop (and PIL, and libjpeg for any Adobe-marked file) stores CMYK inverted;
            // PIL assumes so for every CMYK JPEG ("CMYK;I"), and so do we.
            for (size_t x = 0; x < width; x++) {
                unsigned int k = 255u - cmyk_row[4 * x + 3];
                for (int c = 0; c < 3; c++) out[3 * x + c] = cmyk_channel(255u - cmyk_row[4 * x + c], k);
            }
        }
    }
    // Reads on to the EOI marker, so a file cut after its last scan is still found truncated.
    jpeg_finish_decompress(cinfo);
    free(cmyk_row);
    cmyk_row = NULL;
    jpeg_destroy_decompress(cinfo);
    result->pixels = pixels;
    return JPEG_DECODE_OK;
}

static void prepare(struct jpeg_decompress_struct *cinfo, guard *g) {
    cinfo->err = jpeg_std_error(&g->pub);
    g->pub.error_exit = on_error;
    g->pub.emit_message = on_message;
    jpeg_create_decompress(cinfo);
    g->progress.progress_monitor = on_progress;
    cinfo->progress = &g->progress;
}

jpeg_decode_status jpeg_decode_memory(const void *data, size_t size, uint64_t max_pixels,
                                      jpeg_decode_result *result) {
    memset(result, 0, sizeof *result);
    if (!data || size == 0) {
        snprintf(result->message, sizeof result->message, "file is empty");
        return JPEG_DECODE_EMPTY;
    }
    struct jpeg_decompress_struct cinfo;
    guard g;
    memset(&g, 0, sizeof g);
    prepare(&cinfo, &g);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    return decode(&cinfo, &g, max_pixels, result);
}

jpeg_decode_status jpeg_decode_file(const char *path, uint64_t max_pixels, jpeg_decode_result *result) {
    memset(result, 0, sizeof *result);
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(result->message, sizeof result->message, "%s", strerror(errno));
        return JPEG_DECODE_IO;
    }
    struct jpeg_decompress_struct cinfo;
    guard g;
    memset(&g, 0, sizeof g);
    g.file = file;
    prepare(&cinfo, &g);
    jpeg_stdio_src(&cinfo, file);
    jpeg_decode_status status = decode(&cinfo, &g, max_pixels, result);
    fclose(file);
    return status;
}

void jpeg_decode_free_pixels(jpeg_decode_result *result) {
    free(result->pixels);
    result->pixels = NULL;
}
