import Foundation
import Fovea
import FuzzSupport

/// Safetensors: any bytes must either parse or throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    // Until Safetensors.read(data:name:) exists, through a scratch file.
    attempt("safetensors") { try Safetensors.read(ScratchFile.write(data)) }
    return 0
}
