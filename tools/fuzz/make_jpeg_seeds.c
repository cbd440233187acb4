// Writes the JPEG seeds under Fuzz/Corpus/jpeg/ with the system libjpeg: baseline RGB (4:2:0 and
// 4:4:4), progressive RGB, baseline grey, progressive grey, restart markers. Small images (8–17 px)
// so each seed is a few hundred bytes. Deterministic; rerun after changing it and commit the output.
//
//   cc -O1 -o /tmp/make_jpeg_seeds tools/fuzz/make_jpeg_seeds.c -ljpeg && /tmp/make_jpeg_seeds Fuzz/Corpus/jpeg
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

static void write_jpeg(const char *folder, const char *name, int width, int height, int grey,
                       int progressive, int sampling, int restart) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *file = fopen(path, "wb");
    if (!file) { perror(path); exit(1); }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr errors;
    c.err = jpeg_std_error(&errors);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, file);
    c.image_width = width;
    c.image_height = height;
    c.input_components = grey ? 1 : 3;
    c.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 75, TRUE);
    if (!grey) {  // luma sampling factors: 2×2 is 4:2:0, 1×1 is 4:4:4
        c.comp_info[0].h_samp_factor = sampling;
        c.comp_info[0].v_samp_factor = sampling;
    }
    if (progressive) jpeg_simple_progression(&c);
    c.restart_in_rows = restart;
    jpeg_start_compress(&c, TRUE);
    unsigned char row[3 * 64];
    while (c.next_scanline < c.image_height) {
        int y = (int)c.next_scanline;
        for (int x = 0; x < width * c.input_components; x++) row[x] = (unsigned char)(x * 11 + y * 23);
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(file);
}

int main(int argc, char **argv) {
    const char *folder = argc > 1 ? argv[1] : "Fuzz/Corpus/jpeg";
    write_jpeg(folder, "baseline-rgb420.jpg", 17, 9, 0, 0, 2, 0);
    write_jpeg(folder, "baseline-rgb444.jpg", 8, 8, 0, 0, 1, 0);
    write_jpeg(folder, "progressive-rgb.jpg", 16, 12, 0, 1, 2, 0);
    write_jpeg(folder, "baseline-grey.jpg", 9, 9, 1, 0, 1, 0);
    write_jpeg(folder, "progressive-grey.jpg", 12, 8, 1, 1, 1, 0);
    write_jpeg(folder, "restart-rgb.jpg", 16, 16, 0, 0, 2, 1);
    return 0;
}
