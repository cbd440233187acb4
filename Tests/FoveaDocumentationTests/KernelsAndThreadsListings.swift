import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// The listings of `FoveaKernels.docc/KernelsAndThreads.md`.
final class KernelsAndThreadsListings: XCTestCase {
    func testOptionsForAScope() throws {
        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        let images = Variable(Tensor.normal([8, 1, 28, 28], using: &rng))

        print(KernelOptions.current)   // e.g. threads 2, GEMM avx512-8x48, blocking 384,768,960, …
        print(GEMM.MicroKernel.available.map(\.rawValue))

        var options = KernelOptions.automatic
        options.threads = 1
        options.convolutionPath = .packedGEMM
        let logits = try KernelOptions.withOptions(options) {
            try GradMode.withoutGradients { try model(images) }
        }

        XCTAssertEqual(logits.shape, [8, 10])
        let automatic = try GradMode.withoutGradients { try model(images) }
        assertClose(logits.value, automatic.value, rtol: 1e-4, atol: 1e-5)
        XCTAssertEqual(KernelOptions.current, KernelOptions.processDefault, "the scope ended")
    }

    func testProcessDefault() throws {
        let before = KernelOptions.processDefault
        defer { KernelOptions.processDefault = before }

        // At startup, before any kernel runs: one thread and the plain-C GEMM for the whole process.
        KernelOptions.processDefault = KernelOptions(threads: 1, microKernel: .portable6x16)
        print(KernelOptions.current)   // threads 1, GEMM portable-6x16, …

        XCTAssertEqual(KernelOptions.current.threads, 1)
        XCTAssertEqual(KernelOptions.current.microKernel, .portable6x16)
    }
}
