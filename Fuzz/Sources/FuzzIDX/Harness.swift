import Foundation
import Fovea
import FuzzSupport

/// IDX (raw or gzip-compressed): any bytes must either parse or throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    // Until IDXReader.read(data:name:elementName:) exists, through a scratch file.
    attempt("idx") { try IDXReader.read(ScratchFile.write(data), elementName: "pixels") }
    return 0
}
