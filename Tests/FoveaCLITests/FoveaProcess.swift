import XCTest
import Foundation

extension XCTestCase {
    /// The built `fovea` binary, found next to the test bundle in the build folder.
    var foveaExecutable: URL {
        var dir = Bundle(for: type(of: self)).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("fovea").path) && dir.pathComponents.count > 1 {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("fovea")
    }

    /// Runs the built `fovea` binary as a user would (in `directory`, or the test's working
    /// directory), returning its exit status and its combined standard output and error.
    func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = foveaExecutable
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

    /// Starts `fovea` with `arguments`, kills it with SIGKILL after `seconds` (unless it ended
    /// before) and returns whether the kill came before it ended.
    @discardableResult
    func runKilled(_ arguments: [String], after seconds: Double) throws -> Bool {
        let process = Process()
        process.executableURL = foveaExecutable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    /// Starts `fovea` with `arguments` and kills it with SIGKILL as soon as its output contains
    /// `text`; returns whether it was killed (false: it ended without printing `text`).
    @discardableResult
    func runKilled(_ arguments: [String], whenOutputContains text: String) throws -> Bool {
        let process = Process()
        process.executableURL = foveaExecutable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var output = ""
        var killed = false
        while true {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            if output.contains(text) {
                kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
        }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }
}
