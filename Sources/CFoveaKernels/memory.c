#include "CFoveaKernels.h"
/* A C library header first: it is what defines __GLIBC__ (without one, the test below is always
   false and the allocator is silently left alone). */
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int fovea_keep_freed_memory(void) {
#if defined(__GLIBC__)
    /* Serve large blocks from the heap (not fresh mmaps) and do not trim the heap back to the
       system: training allocates the same activation sizes every step, and first-touching fresh
       pages costs 0.7–2 s per GiB on our VMs (docs/design.md, "Memory"). */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return 1;
#else
    return 0;
#endif
}
