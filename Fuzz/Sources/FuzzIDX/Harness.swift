import Foundation
import Fovea
import FuzzSupport

/// IDX (raw or gzip-compressed): any bytes must either parse or throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    attempt("idx") { try IDXReader.read(data: data, name: "fuzz.idx", elementName: "pixels") }
    return 0
}
