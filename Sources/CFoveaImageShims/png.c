#include "CFoveaImageShims.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

// PNG decoding row by row through libpng's low-level API. libpng reports a fatal error by calling
// the error function, which must not return: it longjmps back to the setjmp in the function that
// started decoding. Everything allocated there is reachable from `PNGReader`, so it can be freed
// after the jump.

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t position;
    char *message;
    size_t message_size;
} PNGSource;

static void copy_text(char *message, size_t message_size, const char *text) {
    if (message_size == 0) return;
    strncpy(message, text, message_size - 1);
    message[message_size - 1] = '\0';
}

static void error_by_jump(png_structp png, png_const_charp text) {
    PNGSource *source = (PNGSource *)png_get_error_ptr(png);
    copy_text(source->message, source->message_size, text);
    png_longjmp(png, 1);
}

// Warnings (a bad CRC in an ancillary chunk, an unknown sRGB profile) leave the pixels usable; the
// simplified API that Fovea used before also decoded such files.
static void ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void read_from_memory(png_structp png, png_bytep out, size_t count) {
    PNGSource *source = (PNGSource *)png_get_io_ptr(png);
    if (count > source->size - source->position) png_error(png, "file is truncated");
    memcpy(out, source->data + source->position, count);
    source->position += count;
}

// Chunks that can change the decoded pixels; others (text, time, unknown) are skipped unread, as
// libpng's simplified API does, so their contents (compressed text, say) cost nothing.
static const png_byte chunks_to_process[] = {
    98, 75, 71, 68, '\0',    // bKGD
    99, 72, 82, 77, '\0',    // cHRM
    103, 65, 77, 65, '\0',   // gAMA
    105, 67, 67, 80, '\0',   // iCCP
    115, 66, 73, 84, '\0',   // sBIT
    115, 82, 71, 66, '\0',   // sRGB
};

typedef struct {
    png_structp png;
    png_infop info;
    PNGSource source;
    int base_has_color, base_has_alpha, base_is_16bit, interlaced;
    png_uint_32 width, height;
} PNGReader;

// Creates the reader and reads the header. Must run after setjmp(png_jmpbuf(reader->png)) is set,
// so it is split: `open` makes the structs, `read_header` reads (and may jump).
static int reader_open(PNGReader *reader, const unsigned char *data, size_t size, char *message, size_t message_size) {
    memset(reader, 0, sizeof *reader);
    reader->source.data = data;
    reader->source.size = size;
    reader->source.message = message;
    reader->source.message_size = message_size;
    if (message_size > 0) message[0] = '\0';
    if (size == 0) {
        copy_text(message, message_size, "empty file");
        return 1;
    }
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->source, error_by_jump, ignore_warning);
    if (reader->png == NULL) {
        copy_text(message, message_size, "out of memory for the PNG reader");
        return 1;
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        png_destroy_read_struct(&reader->png, NULL, NULL);
        copy_text(message, message_size, "out of memory for the PNG reader");
        return 1;
    }
    png_set_read_fn(reader->png, &reader->source, read_from_memory);
    return 0;
}

static void reader_read_header(PNGReader *reader) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    png_set_benign_errors(png, 1);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_AS_DEFAULT, chunks_to_process,
                                (int)(sizeof chunks_to_process / 5));
    png_read_info(png, info);
    reader->width = png_get_image_width(png, info);
    reader->height = png_get_image_height(png, info);
    int color_type = png_get_color_type(png, info);
    int num_trans = 0;
    png_get_tRNS(png, info, NULL, &num_trans, NULL);
    reader->base_has_color = (color_type & PNG_COLOR_MASK_COLOR) != 0;
    reader->base_has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0 || num_trans > 0;
    reader->base_is_16bit = png_get_bit_depth(png, info) == 16;
    reader->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
}

// Channels of the decoded image: the file's own colour and alpha, with grey+alpha widened to
// RGBA (Image has no grey+alpha layout).
static int reader_channels(const PNGReader *reader) {
    if (reader->base_has_alpha) return 4;
    return reader->base_has_color ? 3 : 1;
}

// The transformations libpng's simplified API (png_image_finish_read, 8-bit sRGB output in the
// file's own colour/alpha layout, PNG_IMAGE_FLAG_16BIT_sRGB) sets up, in the same order, so the
// pixels are the same as Fovea's earlier decoder gave: palette and low bit depths expanded, tRNS
// as alpha, grey+alpha widened to RGBA, gamma converted to sRGB where a gAMA/sRGB/iCCP chunk says
// the file is encoded otherwise (files without one, 16-bit included, are taken as sRGB), and
// 16-bit samples scaled to 8 bits with rounding (png_set_scale_16).
static void reader_set_transforms(PNGReader *reader) {
    png_structp png = reader->png;
    png_set_expand(png);
    if (reader->base_has_alpha && !reader->base_has_color) png_set_gray_to_rgb(png);
    png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
    if (reader->base_is_16bit) png_set_scale_16(png);
    png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
}

static size_t reduced(png_uint_32 side, int factor) {
    return ((size_t)side + (size_t)factor - 1) / (size_t)factor;
}

int fovea_png_header(const unsigned char *data, size_t size, int max_side, FoveaImageHeader *header,
                     char *message, size_t message_size) {
    PNGReader reader;
    memset(header, 0, sizeof *header);
    if (reader_open(&reader, data, size, message, message_size) != 0) return 1;
    if (setjmp(png_jmpbuf(reader.png))) {
        png_destroy_read_struct(&reader.png, &reader.info, NULL);
        return 1;
    }
    reader_read_header(&reader);
    header->width = (long)reader.width;
    header->height = (long)reader.height;
    header->channels = reader_channels(&reader);
    header->interlaced = reader.interlaced;
    // The largest integer factor that keeps the longer side at least max_side.
    png_uint_32 longer = reader.width > reader.height ? reader.width : reader.height;
    int factor = 1;
    if (max_side > 0 && longer > (png_uint_32)max_side) factor = (int)(longer / (png_uint_32)max_side);
    header->reduction = factor;
    header->output_width = (long)reduced(reader.width, factor);
    header->output_height = (long)reduced(reader.height, factor);
    png_destroy_read_struct(&reader.png, &reader.info, NULL);
    return 0;
}

// Adds one source row (width × channels bytes) into the per-output-column sums.
static void accumulate_row(uint64_t *sums, const png_byte *row, png_uint_32 width, int channels, int factor) {
    size_t out_width = reduced(width, factor);
    for (size_t ox = 0; ox < out_width; ox++) {
        uint64_t *sum = sums + ox * (size_t)channels;
        png_uint_32 first = (png_uint_32)ox * (png_uint_32)factor;
        png_uint_32 last = width - first < (png_uint_32)factor ? width : first + (png_uint_32)factor;
        for (png_uint_32 x = first; x < last; x++) {
            const png_byte *pixel = row + (size_t)x * (size_t)channels;
            for (int c = 0; c < channels; c++) sum[c] += pixel[c];
        }
    }
}

// Writes the averages of one band of `rows` source rows into `out` and clears the sums. Boxes at
// the right and bottom edges are partial and averaged over the pixels they hold.
static void flush_band(uint64_t *sums, unsigned char *out, png_uint_32 width, size_t out_width, int channels,
                       int factor, png_uint_32 rows) {
    for (size_t ox = 0; ox < out_width; ox++) {
        png_uint_32 columns = width - (png_uint_32)ox * (png_uint_32)factor;
        if (columns > (png_uint_32)factor) columns = (png_uint_32)factor;
        uint64_t count = (uint64_t)columns * rows;
        for (int c = 0; c < channels; c++) {
            size_t i = ox * (size_t)channels + (size_t)c;
            out[i] = (unsigned char)((sums[i] + count / 2) / count);
            sums[i] = 0;
        }
    }
}

int fovea_png_decode(const unsigned char *data, size_t size, int reduction, unsigned char *pixels,
                     size_t pixels_size, char *message, size_t message_size) {
    PNGReader reader;
    // Read after longjmp, so volatile.
    png_bytep volatile row = NULL;
    uint64_t *volatile sums = NULL;
    png_bytep volatile whole = NULL;
    if (reduction < 1) {
        copy_text(message, message_size, "invalid reduction factor");
        return 1;
    }
    if (reader_open(&reader, data, size, message, message_size) != 0) return 1;
    if (setjmp(png_jmpbuf(reader.png))) {
        png_destroy_read_struct(&reader.png, &reader.info, NULL);
        free(row);
        free(sums);
        free(whole);
        return 1;
    }
    reader_read_header(&reader);
    reader_set_transforms(&reader);
    int passes = png_set_interlace_handling(reader.png);
    png_read_update_info(reader.png, reader.info);

    int channels = png_get_channels(reader.png, reader.info);
    png_uint_32 width = reader.width, height = reader.height;
    size_t stride = (size_t)width * (size_t)channels;
    if (channels != reader_channels(&reader) || png_get_bit_depth(reader.png, reader.info) != 8 ||
        png_get_rowbytes(reader.png, reader.info) != stride) {
        png_error(reader.png, "unexpected layout after conversion to 8 bits");
    }
    size_t out_width = reduced(width, reduction), out_height = reduced(height, reduction);
    size_t out_stride = out_width * (size_t)channels;
    // The caller sized `pixels` from fovea_png_header; the file must still say the same.
    if (out_height == 0 || out_stride > SIZE_MAX / out_height || out_stride * out_height != pixels_size) {
        png_error(reader.png, "image size changed between header and decode");
    }

    if (reduction == 1 && !reader.interlaced) {
        for (png_uint_32 y = 0; y < height; y++) png_read_row(reader.png, pixels + stride * y, NULL);
    } else if (reduction == 1) {
        // Adam7: each pass fills in more pixels of every row, so the rows live in the output,
        // which starts defined (the caller's buffer is uninitialised).
        memset(pixels, 0, pixels_size);
        for (int pass = 0; pass < passes; pass++) {
            for (png_uint_32 y = 0; y < height; y++) png_read_row(reader.png, pixels + stride * y, NULL);
        }
    } else {
        sums = calloc(out_stride, sizeof(uint64_t));
        if (sums == NULL) png_error(reader.png, "out of memory for the row sums");
        if (reader.interlaced) {
            // Interlaced rows are complete only after the last pass: decode the whole image (the
            // caller checked it fits the pixel limit), then reduce it.
            if (height == 0 || stride > SIZE_MAX / height) png_error(reader.png, "image too large");
            whole = calloc(stride * (size_t)height, 1);
            if (whole == NULL) png_error(reader.png, "out of memory for the interlaced image");
            for (int pass = 0; pass < passes; pass++) {
                for (png_uint_32 y = 0; y < height; y++) png_read_row(reader.png, whole + stride * y, NULL);
            }
        } else {
            row = malloc(stride);
            if (row == NULL) png_error(reader.png, "out of memory for one row");
        }
        png_uint_32 in_band = 0;
        size_t band = 0;
        for (png_uint_32 y = 0; y < height; y++) {
            png_bytep source = whole != NULL ? whole + stride * y : row;
            if (whole == NULL) png_read_row(reader.png, source, NULL);
            accumulate_row(sums, source, width, channels, reduction);
            in_band++;
            if (in_band == (png_uint_32)reduction || y == height - 1) {
                flush_band(sums, pixels + out_stride * band, width, out_width, channels, reduction, in_band);
                band++;
                in_band = 0;
            }
        }
    }
    // No png_read_end: like the simplified API, what follows the pixels (trailing chunks, even a
    // missing IEND) is not checked.
    png_destroy_read_struct(&reader.png, &reader.info, NULL);
    free(row);
    free(sums);
    free(whole);
    return 0;
}
