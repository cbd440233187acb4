import CFoveaKernels

extension GEMM {
    /// The register-tile kernels GEMM can run on, chosen once at run time from the CPU's features.
    ///
    /// Each computes an `mr × nr` tile of C from packed panels (see `CFoveaSGEMM.h`). The x86 ones
    /// are compiled with per-function target attributes; calling one the CPU lacks would fault, so
    /// only `available` kernels are ever run. `FOVEA_GEMM_KERNEL=<rawValue>` forces one (if available).
    public enum MicroKernel: String, CaseIterable, Sendable {
        case portable6x16 = "portable-6x16"
        case avx2Tile6x16 = "avx2-6x16"
        case avx512Tile8x32 = "avx512-8x32"
        case avx512Tile12x32 = "avx512-12x32"
        case avx512Tile8x48 = "avx512-8x48"

        /// Rows of C per tile.
        public var mr: Int {
            switch self {
            case .portable6x16, .avx2Tile6x16: 6
            case .avx512Tile8x32, .avx512Tile8x48: 8
            case .avx512Tile12x32: 12
            }
        }

        /// Columns of C per tile.
        public var nr: Int {
            switch self {
            case .portable6x16, .avx2Tile6x16: 16
            case .avx512Tile8x32, .avx512Tile12x32: 32
            case .avx512Tile8x48: 48
            }
        }

        /// Whether this CPU can run the kernel.
        public var isSupported: Bool {
            let features = Int(fovea_cpu_features())
            switch self {
            case .portable6x16: return true
            case .avx2Tile6x16: return features & Int(FOVEA_CPU_AVX2_FMA) != 0
            case .avx512Tile8x32, .avx512Tile12x32, .avx512Tile8x48:
                return features & Int(FOVEA_CPU_AVX512F) != 0
            }
        }

        /// The kernels this CPU can run.
        public static let available: [MicroKernel] = allCases.filter(\.isSupported)

        /// The kernel `sgemm` uses: the fastest available one, or `FOVEA_GEMM_KERNEL` when set and available.
        public static let best: MicroKernel = {
            if let name = getenvString("FOVEA_GEMM_KERNEL"), let k = MicroKernel(rawValue: name), k.isSupported {
                return k
            }
            for k in [MicroKernel.avx512Tile8x48, .avx2Tile6x16] where k.isSupported { return k }
            return .portable6x16
        }()

        var function: fovea_sgemm_kernel_fn {
            switch self {
            case .portable6x16: fovea_sgemm_kernel_portable_6x16
            case .avx2Tile6x16: fovea_sgemm_kernel_avx2_6x16
            case .avx512Tile8x32: fovea_sgemm_kernel_avx512_8x32
            case .avx512Tile12x32: fovea_sgemm_kernel_avx512_12x32
            case .avx512Tile8x48: fovea_sgemm_kernel_avx512_8x48
            }
        }
    }

    /// Cache blocking: K is cut into panels of at most `kc` (an A micro-panel, mr × kc, stays in L1
    /// while it sweeps a packed B block of kc × nc held in L2); A is packed `mc` rows at a time.
    struct Blocking {
        var kc: Int, nc: Int, mc: Int

        /// Defaults, overridable as `FOVEA_GEMM_BLOCKING=kc,nc,mc` for tuning.
        static let current: Blocking = {
            if let s = getenvString("FOVEA_GEMM_BLOCKING") {
                let v = s.split(separator: ",").compactMap { Int($0) }
                if v.count == 3, v.allSatisfy({ $0 > 0 }) { return Blocking(kc: v[0], nc: v[1], mc: v[2]) }
            }
            return Blocking(kc: 384, nc: 768, mc: 960)
        }()
    }
}
