// libpng's simplified `png_image` API, used by FoveaImage: it reports errors in a struct instead of
// longjmp-ing out of a callback, so Swift can call it directly.
#include <png.h>
