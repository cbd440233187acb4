import Foundation
import Fovea
import FuzzSupport

/// A run folder's JSON: the same bytes decoded as `config.json` (`RunConfiguration`, then validated
/// as a run's training settings are) and as a checkpoint's metadata (`CheckpointMetadata`); either
/// decodes or throws, never traps, leaks or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    attempt("config.json") {
        let configuration = try JSONDecoder().decode(RunConfiguration.self, from: data)
        try configuration.training.validate()
    }
    attempt("checkpoint metadata") {
        let metadata = try JSONDecoder().decode(CheckpointMetadata.self, from: data)
        try metadata.configuration.validate()
    }
    return 0
}
