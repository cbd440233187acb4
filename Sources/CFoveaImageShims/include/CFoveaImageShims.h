// JPEG decoding and encoding with error recovery. libjpeg reports a fatal error by calling
// `error_exit`, whose default ends the process; recovering needs setjmp/longjmp, which Swift
// cannot call. These wrappers do the setjmp in C and hand Swift an error message instead.
#ifndef CFOVEAIMAGESHIMS_H
#define CFOVEAIMAGESHIMS_H

#include <stddef.h>

/// A decoded image: `pixels` holds (H, W, C) interleaved bytes, malloc'd; release with `fovea_image_free`.
typedef struct {
    unsigned char *pixels;
    int width;
    int height;
    int channels;  // 1 (grey) or 3 (RGB)
} FoveaDecodedImage;

/// Decodes the JPEG in `data[0..<size]` into grey or RGB. Returns 0 on success; otherwise nonzero,
/// with `out->pixels` NULL and the reason, NUL-terminated, in `message` (at most `message_size` bytes).
/// A truncated or corrupt entropy-coded stream is an error, not a grey-filled image.
int fovea_jpeg_decode(const unsigned char *data, size_t size, FoveaDecodedImage *out,
                      char *message, size_t message_size);

/// Encodes (H, W, C) interleaved bytes, C = 1 (grey) or 3 (RGB), at `quality` (1...100) into a
/// malloc'd buffer (`*out`, `*out_size`; release with `fovea_image_free`). Returns 0 on success;
/// otherwise nonzero, with the reason in `message`.
int fovea_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                      unsigned char **out, size_t *out_size, char *message, size_t message_size);

/// Frees a buffer returned by the functions above.
void fovea_image_free(void *pointer);

#endif
