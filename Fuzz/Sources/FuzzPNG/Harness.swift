import Foundation
import FoveaImage
import FuzzSupport

/// PNG decoding: any bytes must either decode or throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    attempt("png") { try Image(pngData: data, name: "fuzz.png") }
    return 0
}
