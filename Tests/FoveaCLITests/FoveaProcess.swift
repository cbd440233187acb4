import XCTest
import Foundation

extension XCTestCase {
    /// Runs the built `fovea` binary (found next to the test bundle in the build folder) as a user
    /// would (in `directory`, or the test's working directory), returning its exit status and its
    /// combined standard output and error.
    func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        var dir = Bundle(for: type(of: self)).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("fovea").path) && dir.pathComponents.count > 1 {
            dir.deleteLastPathComponent()
        }
        let process = Process()
        process.executableURL = dir.appendingPathComponent("fovea")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
