import Foundation

/// The input libFuzzer passes to `LLVMFuzzerTestOneInput`, copied into `Data` (parsers take `Data`).
public func fuzzData(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> Data {
    Data(bytes: bytes, count: size)
}
