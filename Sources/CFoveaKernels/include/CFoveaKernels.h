#ifndef CFOVEAKERNELS_H
#define CFOVEAKERNELS_H

/// Bit flags for the vector instruction sets the running CPU supports.
enum {
    FOVEA_CPU_AVX2_FMA = 1,
    FOVEA_CPU_AVX512F = 2,
};

/// Returns the FOVEA_CPU_* flags of this CPU (0 on non-x86 or old CPUs).
int fovea_cpu_features(void);

/// On glibc, keeps freed memory in the process for reuse (mallopt, process-wide); returns 1 when
/// applied. Called only on request (Swift: Allocator.keepFreedMemory()).
int fovea_keep_freed_memory(void);

#include "CFoveaSGEMM.h"
#include "CFoveaConvPack.h"
#include "fovea_depthwise.h"
#include "fovea_conv_direct.h"

#endif
