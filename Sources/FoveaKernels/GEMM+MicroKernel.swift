import CFoveaKernels

extension GEMM {
    /// The register-tile kernels GEMM can run on; `KernelOptions.microKernel` picks one.
    ///
    /// Each computes an `mr × nr` tile of C from packed panels (see `CFoveaSGEMM.h`). The x86 ones
    /// are compiled with per-function target attributes; calling one the CPU lacks would fault, so
    /// only `available` kernels are ever run (`sgemm` and `KernelOptions.withOptions` check).
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

        /// The fastest kernel this CPU can run: the default `KernelOptions.microKernel`.
        public static let fastestAvailable: MicroKernel = {
            for k in [MicroKernel.avx512Tile8x48, .avx2Tile6x16] where k.isSupported { return k }
            return .portable6x16
        }()

        /// The kernel `sgemm` uses in the current scope: `KernelOptions.current.microKernel`.
        public static var best: MicroKernel { KernelOptions.current.microKernel }

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
    public struct Blocking: Sendable, Hashable, CustomStringConvertible {
        /// Most rows of a K panel, columns of a packed B block and rows of a packed A block.
        public let kc: Int, nc: Int, mc: Int

        /// The sizes each of `kc`, `nc` and `mc` may take: the packing buffers hold kc·nc and kc·mc
        /// floats, at most 1 GiB each.
        public static let sizeRange = 1...16384

        /// Blocking with the given sizes, each in `sizeRange` (a programming error otherwise).
        public init(kc: Int, nc: Int, mc: Int) {
            precondition([kc, nc, mc].allSatisfy(Blocking.sizeRange.contains),
                         "GEMM blocking \(kc),\(nc),\(mc) outside \(Blocking.sizeRange)")
            self.kc = kc; self.nc = nc; self.mc = mc
        }

        /// The tuned default: kc 384, nc 768, mc 960.
        public static let standard = Blocking(kc: 384, nc: 768, mc: 960)

        /// `kc,nc,mc`, e.g. `384,768,960`.
        public var description: String { "\(kc),\(nc),\(mc)" }
    }
}
