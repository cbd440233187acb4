import XCTest
import FoveaKernels

final class AllocatorTests: XCTestCase {
    /// On glibc the tuning must really apply: a C file that tested `__GLIBC__` before including any C
    /// library header skipped `mallopt` silently, and training ran 30–40% slower.
    func testKeepFreedMemoryAppliesOnGlibc() {
        #if os(Linux) && canImport(Glibc)
        XCTAssertTrue(Allocator.keepFreedMemory())
        #endif
    }
}
