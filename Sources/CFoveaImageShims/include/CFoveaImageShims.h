// JPEG and PNG decoding, and JPEG encoding, with error recovery. libjpeg and libpng's low-level API
// report a fatal error by calling an error function that must not return (libjpeg's default ends
// the process); recovering needs setjmp/longjmp, which Swift cannot call. These wrappers do the
// setjmp in C and hand Swift an error message instead. Decoding is split in two calls, header then
// pixels, so that Swift checks the declared size against its limits before allocating anything.
#ifndef CFOVEAIMAGESHIMS_H
#define CFOVEAIMAGESHIMS_H

#include <stddef.h>

/// What a file's header declares, and what decoding it with a reduction gives. Sizes are `long`
/// so that every value a header can hold (PNG: up to 2^31 - 1) fits.
typedef struct {
    long width;          // as declared
    long height;
    int channels;        // of the decoded image: 1 (grey), 3 (RGB) or 4 (RGBA, PNG only)
    int interlaced;      // 1 for an Adam7-interlaced PNG
    int reduction;       // the factor the decoder divides each side by (JPEG: 1, 2, 4 or 8)
    long output_width;   // the decoded size, ceil(width / reduction) × ceil(height / reduction)
    long output_height;
} FoveaImageHeader;

/// Reads the header of the JPEG in `data[0..<size]` and chooses the largest reduction (1/2, 1/4,
/// 1/8) that keeps the longer side at least `max_side` (0: none). Allocates nothing large.
/// Returns 0 on success; otherwise nonzero with the reason in `message`.
int fovea_jpeg_header(const unsigned char *data, size_t size, int max_side, FoveaImageHeader *header,
                      char *message, size_t message_size);

/// Decodes the JPEG into `pixels` ((H, W, C) interleaved grey or RGB, `pixels_size` bytes, as
/// `fovea_jpeg_header` sized it), reduced by `reduction`. libjpeg's working memory (whole-image
/// coefficient buffers of progressive files, mostly) is capped at `max_memory` bytes. Returns 0 on
/// success, 2 when decoding needs more than `max_memory`, otherwise 1; with the reason in `message`. A truncated or corrupt entropy-coded
/// stream is an error, not a grey-filled image.
int fovea_jpeg_decode(const unsigned char *data, size_t size, int reduction, size_t max_memory,
                      unsigned char *pixels, size_t pixels_size, char *message, size_t message_size);

/// Reads the header of the PNG in `data[0..<size]` and chooses the largest integer reduction factor
/// that keeps the longer side at least `max_side` (0: none). Allocates nothing large. Returns 0 on
/// success; otherwise nonzero with the reason in `message`.
int fovea_png_header(const unsigned char *data, size_t size, int max_side, FoveaImageHeader *header,
                     char *message, size_t message_size);

/// Decodes the PNG into `pixels` ((H, W, C) interleaved 8-bit grey, RGB or RGBA, `pixels_size`
/// bytes, as `fovea_png_header` sized it), each `reduction` × `reduction` box averaged into one
/// pixel. Non-interlaced files are read row by row, so memory beyond `pixels` is one source row;
/// interlaced files with `reduction` > 1 need the whole image decoded first (the caller checks it
/// is allowed). Returns 0 on success; otherwise nonzero with the reason in `message`.
int fovea_png_decode(const unsigned char *data, size_t size, int reduction, unsigned char *pixels,
                     size_t pixels_size, char *message, size_t message_size);

/// Encodes (H, W, C) interleaved bytes, C = 1 (grey) or 3 (RGB), at `quality` (1...100) into a
/// malloc'd buffer (`*out`, `*out_size`; release with `fovea_image_free`). Returns 0 on success;
/// otherwise nonzero, with the reason in `message`.
int fovea_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                      unsigned char **out, size_t *out_size, char *message, size_t message_size);

/// Frees a buffer returned by the functions above.
void fovea_image_free(void *pointer);

#endif
