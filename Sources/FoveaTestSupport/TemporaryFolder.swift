import Foundation
import XCTest

extension XCTestCase {
    /// A fresh empty folder under the system's temporary directory, removed when the test ends.
    public func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
