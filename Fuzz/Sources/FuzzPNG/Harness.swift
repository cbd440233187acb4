import Foundation
import FoveaImage
import FuzzSupport

/// PNG decoding: any bytes must either decode or throw, never trap, leak or hang. Each input is
/// decoded as it is and with its chunk CRCs recomputed, so mutated headers and image data get past
/// libpng's CRC check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    attempt("png") { try Image(pngData: data, name: "fuzz.png") }
    let fixed = Framing.pngFixingCRCs(data)
    if fixed != data { attempt("png, CRCs fixed") { try Image(pngData: fixed, name: "fuzz.png") } }
    return 0
}
