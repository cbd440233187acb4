import Foundation
import Fovea

/// A PyTorch reference case written by `tools/references/make_fixtures.py` (see Tests/Fixtures/README.md).
public struct Fixture {
    public let name: String
    public let attributes: [String: Any]
    public let tensors: [String: Tensor]

    /// Loads `Tests/Fixtures/<name>.json`.
    public init(_ name: String, file: StaticString = #filePath) throws {
        let url = Fixture.directory(file).appendingPathComponent(name + ".json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let root = object as? [String: Any], let tensors = root["tensors"] as? [String: [String: Any]] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.name = name
        self.attributes = root["attrs"] as? [String: Any] ?? [:]
        var parsed: [String: Tensor] = [:]
        for (key, t) in tensors {
            let shape = (t["shape"] as? [NSNumber] ?? []).map(\.intValue)
            let data = (t["data"] as? [NSNumber] ?? []).map(\.floatValue)
            parsed[key] = Tensor(shape: shape, storage: data)
        }
        self.tensors = parsed
    }

    /// The tensor named `key`, or a test failure naming what is missing.
    public subscript(_ key: String) -> Tensor {
        guard let t = tensors[key] else { fatalError("fixture \(name) has no tensor \(key); it has \(tensors.keys.sorted())") }
        return t
    }

    /// An integer attribute (or each element of an integer-array attribute).
    public func ints(_ key: String) -> [Int] {
        if let a = attributes[key] as? [NSNumber] { return a.map(\.intValue) }
        if let n = attributes[key] as? NSNumber { return [n.intValue] }
        return []
    }

    /// A numeric attribute.
    public func number(_ key: String) -> Double? { (attributes[key] as? NSNumber)?.doubleValue }

    /// `Tests/Fixtures`, found from this source file's location.
    static func directory(_ file: StaticString) -> URL {
        var url = URL(fileURLWithPath: "\(#filePath)")
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Tests/Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "Tests/Fixtures")
    }
}
