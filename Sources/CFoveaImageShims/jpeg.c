#include "CFoveaImageShims.h"

#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

// libjpeg's error manager extended with a jump target and the first fatal message.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf recover;
    char *message;
    size_t message_size;
    unsigned char *destination;  // the encoder's output buffer, freed if an error jumps out
    unsigned long destination_size;
    int over_memory_limit;  // the error was libjpeg running past max_memory_to_use
} RecoveringErrorManager;

static void copy_message(j_common_ptr cinfo, char *message, size_t message_size) {
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    if (message_size > 0) {
        strncpy(message, text, message_size - 1);
        message[message_size - 1] = '\0';
    }
}

static void error_exit_by_jump(j_common_ptr cinfo) {
    RecoveringErrorManager *manager = (RecoveringErrorManager *)cinfo->err;
    if (cinfo->err->msg_code == JERR_NO_BACKING_STORE && manager->message_size > 0) {
        // libjpeg ran past max_memory_to_use (a progressive JPEG keeps every coefficient of the
        // full-size image) and has no disk to spill to.
        manager->over_memory_limit = 1;
        snprintf(manager->message, manager->message_size,
                 "a progressive or multi-scan JPEG keeps the coefficients of the whole image while decoding");
    } else {
        copy_message(cinfo, manager->message, manager->message_size);
    }
    longjmp(manager->recover, 1);
}

// Warnings (msg_level == -1) that mean the pixels are not what the file meant: a file cut short,
// or entropy-coded data that ran into a marker. libjpeg would fill the rest with grey and succeed;
// a dataset loader should rather be told. Other warnings (such as stray bytes between markers) are
// tolerated, as most decoders do.
static void emit_message_strict(j_common_ptr cinfo, int msg_level) {
    if (msg_level == -1) {
        int code = cinfo->err->msg_code;
        if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) error_exit_by_jump(cinfo);
        cinfo->err->num_warnings++;
    }
}

static void install(RecoveringErrorManager *manager, char *message, size_t message_size) {
    jpeg_std_error(&manager->base);
    manager->base.error_exit = error_exit_by_jump;
    manager->base.emit_message = emit_message_strict;
    manager->message = message;
    manager->message_size = message_size;
    manager->destination = NULL;
    manager->destination_size = 0;
    manager->over_memory_limit = 0;
    if (message_size > 0) message[0] = '\0';
}

// The largest of libjpeg's cheap reductions (1/2, 1/4, 1/8, done in the inverse DCT) that keeps the
// longer side at least max_side.
static int jpeg_reduction(JDIMENSION width, JDIMENSION height, int max_side) {
    JDIMENSION longer = width > height ? width : height;
    int denominator = 1;
    if (max_side <= 0) return 1;
    while (denominator < 8 && (longer + (JDIMENSION)(2 * denominator) - 1) / (JDIMENSION)(2 * denominator) >= (JDIMENSION)max_side) {
        denominator *= 2;
    }
    return denominator;
}

// Reads the header and sets the output colour space and scale; returns nonzero (with `message`)
// for files Fovea does not decode. May longjmp to the caller's setjmp.
static int read_header(struct jpeg_decompress_struct *cinfo, const unsigned char *data, size_t size,
                       int denominator, size_t max_memory, char *message, size_t message_size) {
    cinfo->mem->max_memory_to_use = (long)(max_memory > (size_t)LONG_MAX ? (size_t)LONG_MAX : max_memory);
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
        snprintf(message, message_size, "CMYK JPEG images are not supported");
        return 1;
    }
    cinfo->out_color_space = cinfo->num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)denominator;
    jpeg_calc_output_dimensions(cinfo);
    return 0;
}

int fovea_jpeg_header(const unsigned char *data, size_t size, int max_side, FoveaImageHeader *header,
                      char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    RecoveringErrorManager manager;
    memset(header, 0, sizeof *header);
    cinfo.err = &manager.base;
    install(&manager, message, message_size);
    if (setjmp(manager.recover)) {
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    if (size == 0) {
        snprintf(message, message_size, "empty file");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    // The header alone allocates little; the working-memory limit matters for the decode.
    int status = read_header(&cinfo, data, size, 1, (size_t)LONG_MAX, message, message_size);
    if (status == 0) {
        header->width = (long)cinfo.image_width;
        header->height = (long)cinfo.image_height;
        header->reduction = jpeg_reduction(cinfo.image_width, cinfo.image_height, max_side);
        cinfo.scale_denom = (unsigned int)header->reduction;
        jpeg_calc_output_dimensions(&cinfo);
        header->output_width = (long)cinfo.output_width;
        header->output_height = (long)cinfo.output_height;
        header->channels = cinfo.output_components;
    }
    jpeg_destroy_decompress(&cinfo);
    return status;
}

int fovea_jpeg_decode(const unsigned char *data, size_t size, int reduction, size_t max_memory,
                      unsigned char *pixels, size_t pixels_size, char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    RecoveringErrorManager manager;
    cinfo.err = &manager.base;
    install(&manager, message, message_size);
    if (setjmp(manager.recover)) {
        jpeg_destroy_decompress(&cinfo);
        return manager.over_memory_limit ? 2 : 1;
    }
    jpeg_create_decompress(&cinfo);
    if (size == 0) {
        snprintf(message, message_size, "empty file");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    if (read_header(&cinfo, data, size, reduction, max_memory, message, message_size) != 0) {
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    // The caller sized `pixels` from fovea_jpeg_header; the file must still say the same.
    if (cinfo.output_height == 0 || stride > SIZE_MAX / cinfo.output_height ||
        stride * cinfo.output_height != pixels_size) {
        snprintf(message, message_size, "image size changed between header and decode");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

int fovea_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                      unsigned char **out, size_t *out_size, char *message, size_t message_size) {
    struct jpeg_compress_struct cinfo;
    RecoveringErrorManager manager;
    *out = NULL;
    *out_size = 0;

    cinfo.err = &manager.base;
    install(&manager, message, message_size);
    if (setjmp(manager.recover)) {
        jpeg_destroy_compress(&cinfo);
        free(manager.destination);
        return 1;
    }
    if (channels != 1 && channels != 3) {
        snprintf(message, message_size, "JPEG needs 1 or 3 channels, got %d", channels);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &manager.destination, &manager.destination_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);

    *out = manager.destination;
    *out_size = (size_t)manager.destination_size;
    return 0;
}

void fovea_image_free(void *pointer) { free(pointer); }
