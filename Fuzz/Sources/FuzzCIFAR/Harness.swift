import Foundation
import Fovea
import FuzzSupport

/// CIFAR binary (raw or gzip-compressed), read as both variants: any bytes must either parse or
/// throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    for variant in [CIFARVariant.cifar10, .cifar100] {
        // Until CIFARReader.read(data:name:variant:) exists, through a scratch file.
        attempt("cifar \(variant)") { try CIFARReader.read(ScratchFile.write(data), variant: variant) }
    }
    return 0
}
