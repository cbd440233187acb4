import CFoveaKernels

/// How the kernels run: the thread count, the GEMM micro-kernel and cache blocking, and which
/// convolution and depthwise-convolution paths serve a call.
///
/// `KernelOptions()` (also `.automatic`) is what the library picks on its own for this CPU; the
/// library never reads the environment. A program may replace the default for the whole process
/// (`processDefault`, e.g. from its command line at startup) and set other options for a scope
/// (`withOptions(_:_:)`). Every kernel entry point (`GEMM.sgemm`, `Conv2d`, `DepthwiseConv2d`, the
/// pooling, normalisation and activation kernels) reads `current` once per call, on the calling
/// thread, and hands the values down to its workers. Results are bitwise reproducible for given options.
public struct KernelOptions: Sendable, Hashable, CustomStringConvertible {
    /// Worker threads a kernel splits its work over (at least 1). Default: the active cores.
    public var threads: Int
    /// The GEMM register-tile kernel; must be one of `GEMM.MicroKernel.available`.
    /// Default: `GEMM.MicroKernel.fastestAvailable`.
    public var microKernel: GEMM.MicroKernel
    /// GEMM cache blocking. Default: `GEMM.Blocking.standard`.
    public var gemmBlocking: GEMM.Blocking
    /// How `Conv2d` computes stride-1 products. Default: `.automatic`.
    public var convolutionPath: ConvolutionPath
    /// Which build of the depthwise row kernels `DepthwiseConv2d` runs. Default: `.automatic`.
    public var depthwisePath: DepthwisePath

    /// Options with the given fields; every default is the library's automatic choice.
    public init(threads: Int = KernelOptions.defaultThreadCount,
                microKernel: GEMM.MicroKernel = .fastestAvailable,
                gemmBlocking: GEMM.Blocking = .standard,
                convolutionPath: ConvolutionPath = .automatic,
                depthwisePath: DepthwisePath = .automatic) {
        self.threads = threads
        self.microKernel = microKernel
        self.gemmBlocking = gemmBlocking
        self.convolutionPath = convolutionPath
        self.depthwisePath = depthwisePath
    }

    /// The library's own choices for this CPU: all cores, the fastest micro-kernel, automatic paths.
    public static let automatic = KernelOptions()

    /// The number of active cores (at least 1): the default `threads`.
    public static let defaultThreadCount: Int = max(1, ProcessInfoLite.activeProcessorCount)

    /// The options in effect for kernels called here: the innermost `withOptions` scope, else
    /// `processDefault`.
    public static var current: KernelOptions { scoped ?? store.value }

    /// The options outside any `withOptions` scope, on every thread: `automatic` until a program sets
    /// others (meant for startup, before kernels run). Setting unsupported options traps, as in
    /// `withOptions`.
    public static var processDefault: KernelOptions {
        get { store.value }
        set {
            if let reason = newValue.unsupportedReason { preconditionFailure("unsupported kernel options: \(reason)") }
            store.value = newValue
        }
    }

    /// A task-local, so concurrent tasks can run with different options; outside any task it is bound
    /// per thread. Kernels never read it on their worker threads (those would not see the scope).
    @TaskLocal static var scoped: KernelOptions?
    private static let store = OptionsStore()

    /// Runs `body` with `options` in effect for every kernel it calls on this thread (or task, and the
    /// child tasks it creates; threads it starts see `processDefault`). Scopes nest; the previous
    /// options return when `body` does. `options` must be supported by this CPU
    /// (`unsupportedReason == nil`): unsupported kernels would fault, so this traps instead.
    public static func withOptions<R>(_ options: KernelOptions, _ body: () throws -> R) rethrows -> R {
        if let reason = options.unsupportedReason { preconditionFailure("unsupported kernel options: \(reason)") }
        return try $scoped.withValue(options, operation: body)
    }

    /// Why this CPU cannot run these options (one line), or nil when it can.
    public var unsupportedReason: String? {
        if threads < 1 { return "threads must be at least 1, found \(threads)" }
        if !microKernel.isSupported {
            return "GEMM micro-kernel \(microKernel.rawValue) is not supported by this CPU (available: "
                + GEMM.MicroKernel.available.map(\.rawValue).joined(separator: ", ") + ")"
        }
        if !convolutionPath.isSupported {
            return "convolution path \(convolutionPath.rawValue) is not supported by this CPU (it needs AVX-512F)"
        }
        if !depthwisePath.isSupported {
            return "depthwise path \(depthwisePath.rawValue) is not supported by this CPU (it needs AVX2 and FMA)"
        }
        return nil
    }

    /// e.g. `threads 2, GEMM avx512-8x48, blocking 384,768,960, convolution automatic, depthwise automatic`.
    public var description: String {
        "threads \(threads), GEMM \(microKernel.rawValue), blocking \(gemmBlocking), "
            + "convolution \(convolutionPath.rawValue), depthwise \(depthwisePath.rawValue)"
    }

    /// Whether `Conv2d` runs stride-1 products on the direct kernels: `.automatic` does so exactly
    /// when the micro-kernel is an AVX-512 one (the choice before the options existed).
    var usesDirectConvolution: Bool {
        switch convolutionPath {
        case .automatic: Conv2d.packLevel(microKernel) == 2
        case .direct: true
        case .packedGEMM: false
        }
    }

    /// The `level` argument of the depthwise C kernels (1 AVX2+FMA, 0 portable).
    var depthwiseLevel: Int32 {
        switch depthwisePath {
        case .automatic: DepthwisePath.avx2FMA.isSupported ? 1 : 0
        case .avx2FMA: 1
        case .portable: 0
        }
    }
}

/// How `Conv2d` computes a stride-1 (not 1×1) product; other convolutions always run on GEMM.
public enum ConvolutionPath: String, CaseIterable, Sendable {
    /// `.direct` when the GEMM micro-kernel is an AVX-512 one, else `.packedGEMM`.
    case automatic
    /// The direct AVX-512F kernels over the zero-padded image, with no packing (`conv_direct.c`).
    case direct
    /// GEMM over packed panels: shifted rows of the padded image when threads split the batch,
    /// im2col panels (or a threaded GEMM over an im2col matrix) otherwise.
    case packedGEMM = "packed-gemm"

    /// Whether this CPU can run the path.
    public var isSupported: Bool {
        self != .direct || Int(fovea_cpu_features()) & Int(FOVEA_CPU_AVX512F) != 0
    }

    /// The explicit paths (not `.automatic`) this CPU can run.
    public static var available: [ConvolutionPath] { [.direct, .packedGEMM].filter(\.isSupported) }
}

/// Which build of the depthwise row kernels (`depthwise.c`) `DepthwiseConv2d` runs. Strided
/// columns other than 2 use plain Swift loops on every path.
public enum DepthwisePath: String, CaseIterable, Sendable {
    /// `.avx2FMA` when the CPU has AVX2 and FMA, else `.portable`.
    case automatic
    /// The build compiled for AVX2+FMA (8-float vectors with fused multiply-adds).
    case avx2FMA = "avx2-fma"
    /// The build for the baseline target (SSE2 on x86-64, NEON on arm64).
    case portable

    /// Whether this CPU can run the path.
    public var isSupported: Bool {
        self != .avx2FMA || Int(fovea_cpu_features()) & Int(FOVEA_CPU_AVX2_FMA) != 0
    }

    /// The explicit paths (not `.automatic`) this CPU can run.
    public static var available: [DepthwisePath] { [.avx2FMA, .portable].filter(\.isSupported) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `KernelOptions.processDefault`'s storage: a value guarded by a mutex (read once per kernel call
/// outside any scope; uncontended, that costs tens of nanoseconds).
private final class OptionsStore: @unchecked Sendable {  // `stored` is only touched under `mutex`
    private var stored = KernelOptions.automatic
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    var value: KernelOptions {
        get { pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }; return stored }
        set { pthread_mutex_lock(mutex); stored = newValue; pthread_mutex_unlock(mutex) }
    }
}
