import XCTest
import Fovea

/// `import Fovea` alone names the types in its modules' public signatures (this file imports
/// nothing else, so it stops compiling if the umbrella stops exporting one).
final class UmbrellaExportTests: XCTestCase {
    func testActivationKindComesWithTheUmbrella() throws {
        let kinds: [ActivationKind] = ActivationKind.allCases
        let layer = Activation(kinds.first { $0 == .silu }!)
        XCTAssertEqual(layer.kind, .silu)
        let y = try layer(Variable(Tensor(shape: [1], storage: [0])))
        XCTAssertEqual(y.value.storage, [0], "silu(0) = 0")
    }
}
