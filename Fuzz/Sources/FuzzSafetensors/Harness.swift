import Foundation
import Fovea
import FuzzSupport

/// Safetensors: any bytes must either parse or throw, never trap, leak or hang. Each input is read
/// three ways: as a file as it is; as `header JSON, 0x00, tensor bytes` with the length prefix
/// computed, so mutated headers get past the length check; and as binary fields from which a
/// header is built, so integer mutations reach shapes and offsets (see `Framing`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    for file in [data, Framing.safetensors(fromHeaderAndBody: data), Framing.safetensors(fromFields: data)] {
        attempt("safetensors") { try Safetensors.read(data: file, name: "fuzz.safetensors") }
    }
    return 0
}
