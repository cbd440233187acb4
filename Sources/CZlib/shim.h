// zlib's gz* streaming interface, used by FoveaData to read gzip-compressed datasets.
#include <zlib.h>
