import Foundation
import FoveaImage
import FuzzSupport

/// JPEG decoding: any bytes must either decode or throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    attempt("jpeg") { try Image(jpegData: data, name: "fuzz.jpg") }
    return 0
}
