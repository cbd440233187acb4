// libjpeg (libjpeg-turbo). jpeglib.h needs <stdio.h> (for FILE) and <stddef.h> (size_t) first.
// Swift never drives libjpeg directly: its errors longjmp, so CFoveaImageShims wraps it.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
