import ArgumentParser
import Foundation
import FoveaKernels

/// The environment variables that tune the kernels for a whole `fovea` run. The library never reads
/// the environment; the command does, once at startup:
/// - `FOVEA_THREADS=N`: worker threads (default: the active cores);
/// - `FOVEA_GEMM_KERNEL=NAME`: a GEMM micro-kernel by its raw value, e.g. `avx2-6x16`;
/// - `FOVEA_GEMM_BLOCKING=kc,nc,mc`: GEMM cache blocking (default 384,768,960);
/// - `FOVEA_KEEP_FREED_MEMORY=0`: leave the C allocator alone (by default freed memory is kept).
enum KernelEnvironment {
    /// Sets the process's kernel options and allocator from the environment; an invalid value ends
    /// the command with a one-line error naming the variable.
    static func configure() {
        let environment = ProcessInfo.processInfo.environment
        do {
            KernelOptions.processDefault = try options(from: environment)
        } catch {
            FoveaCommand.exit(withError: error)
        }
        if environment["FOVEA_KEEP_FREED_MEMORY"] != "0" { Allocator.keepFreedMemory() }
    }

    /// The automatic options with every variable that is set applied.
    static func options(from environment: [String: String]) throws -> KernelOptions {
        var options = KernelOptions.automatic
        if let text = environment["FOVEA_THREADS"] {
            guard let n = Int(text), n >= 1 else {
                throw Invalid(variable: "FOVEA_THREADS", expected: "a positive whole number", found: text)
            }
            options.threads = n
        }
        if let text = environment["FOVEA_GEMM_KERNEL"] {
            let available = GEMM.MicroKernel.available.map(\.rawValue).joined(separator: ", ")
            guard let kernel = GEMM.MicroKernel(rawValue: text), kernel.isSupported else {
                throw Invalid(variable: "FOVEA_GEMM_KERNEL", expected: "one of this CPU's kernels (\(available))", found: text)
            }
            options.microKernel = kernel
        }
        if let text = environment["FOVEA_GEMM_BLOCKING"] {
            let range = GEMM.Blocking.sizeRange
            let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard sizes.count == 3, let kc = sizes[0], let nc = sizes[1], let mc = sizes[2],
                  [kc, nc, mc].allSatisfy(range.contains) else {
                throw Invalid(variable: "FOVEA_GEMM_BLOCKING",
                              expected: "kc,nc,mc, three whole numbers in \(range.lowerBound)...\(range.upperBound)", found: text)
            }
            options.gemmBlocking = GEMM.Blocking(kc: kc, nc: nc, mc: mc)
        }
        return options
    }

    /// An environment variable whose value Fovea cannot use.
    struct Invalid: Error, CustomStringConvertible {
        var variable: String, expected: String, found: String
        var description: String { "environment variable \(variable): expected \(expected), found '\(found)'" }
    }
}
