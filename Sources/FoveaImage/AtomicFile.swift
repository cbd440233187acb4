import FoveaData
import FoveaTensor
import Foundation

/// `writeAtomically(_:to: URL)` for a path, reporting failures as `DataError`s naming the file.
func writeAtomically(_ data: Data, to path: String) throws {
    do { try writeAtomically(data, to: URL(fileURLWithPath: path)) } catch let error as FileWriteError {
        throw DataError(file: path, error.message)
    }
}

/// The bytes of the file at `path`, or a `DataError` naming it.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DataError(file: path, "cannot be read (missing or unreadable)")
    }
    return data
}
