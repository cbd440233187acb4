import Foundation
import Fovea
import FuzzSupport

/// CIFAR binary (raw or gzip-compressed), read as both variants: any bytes must either parse or
/// throw, never trap, leak or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    for variant in [CIFARVariant.cifar10, .cifar100] {
        attempt("cifar \(variant)") { try CIFARReader.read(data: data, name: "fuzz.bin", variant: variant) }
    }
    return 0
}
