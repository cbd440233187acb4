// FreeType 2, used by FoveaImage to rasterise chart text. Its functions return error codes, no longjmp.
#include <ft2build.h>
#include FT_FREETYPE_H
