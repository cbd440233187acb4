#include "CFoveaImageShims.h"

#include <setjmp.h>
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
    copy_message(cinfo, manager->message, manager->message_size);
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
    if (message_size > 0) message[0] = '\0';
}

int fovea_jpeg_decode(const unsigned char *data, size_t size, FoveaDecodedImage *out,
                      char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    RecoveringErrorManager manager;
    unsigned char *volatile pixels = NULL;  // volatile: read after longjmp
    out->pixels = NULL;
    out->width = out->height = out->channels = 0;

    cinfo.err = &manager.base;
    install(&manager, message, message_size);
    if (setjmp(manager.recover)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    if (size == 0) {
        snprintf(message, message_size, "empty file");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(message, message_size, "CMYK JPEG images are not supported");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);

    int width = (int)cinfo.output_width, height = (int)cinfo.output_height;
    int channels = cinfo.output_components;
    size_t stride = (size_t)width * (size_t)channels;
    pixels = malloc(stride * (size_t)height);
    if (pixels == NULL) {
        snprintf(message, message_size, "out of memory for %dx%d pixels", width, height);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);

    out->pixels = pixels;
    out->width = width;
    out->height = height;
    out->channels = channels;
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
