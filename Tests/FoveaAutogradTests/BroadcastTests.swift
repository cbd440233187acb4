import XCTest
import Fovea

/// Broadcast arithmetic's run-based fast path gives the same values as indexing element by element.
final class BroadcastTests: XCTestCase {
    /// `a ∘ b` computed with explicit right-aligned broadcasting, for reference.
    func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> [Float] {
        let out = zip([Int](repeating: 1, count: 4 - a.shape.count) + a.shape, [Int](repeating: 1, count: 4 - b.shape.count) + b.shape).map { max($0, $1) }
        func index(_ shape: [Int], _ i: [Int]) -> Int {
            let s = [Int](repeating: 1, count: 4 - shape.count) + shape
            return (0..<4).reduce(0) { $0 * s[$1] + (s[$1] == 1 ? 0 : i[$1]) }
        }
        var result: [Float] = []
        for n in 0..<out[0] { for c in 0..<out[1] { for h in 0..<out[2] { for w in 0..<out[3] {
            result.append(f(a.storage[index(a.shape, [n, c, h, w])], b.storage[index(b.shape, [n, c, h, w])]))
        } } } }
        return result
    }

    func testPatterns() throws {
        var rng = RandomGenerator(seed: 9)
        let x = Tensor.normal([2, 3, 4, 5], using: &rng)
        // Block patterns (fast path) and, as controls, patterns that need the general path.
        for shape in [[3, 1, 1], [2, 3, 1, 1], [1], [5], [3, 4, 5], [3, 1, 5], [2, 1, 4, 1]] {
            let s = Tensor.normal(shape, using: &rng)
            XCTAssertEqual(try (Variable(x) * Variable(s)).value.storage, reference(x, s, *), "x * \(shape)")
            XCTAssertEqual(try (Variable(s) * Variable(x)).value.storage, reference(s, x, *), "\(shape) * x")
            XCTAssertEqual(try (Variable(x) + Variable(s)).value.storage, reference(x, s, +), "x + \(shape)")
            XCTAssertEqual(try (Variable(s) - Variable(x)).value.storage, reference(s, x, -), "\(shape) - x")
            XCTAssertEqual(try (Variable(x) - Variable(s)).value.storage, reference(x, s, -), "x - \(shape)")
        }
    }
}
