import Foundation
import XCTest

/// The articles in `Sources/*/*.docc` quote code that this target compiles and runs: every
/// ```` ```swift ```` block must appear, line for line (indentation aside), in one of this folder's
/// Swift files, and each `import` it shows must be one of that file's imports. So a listing cannot
/// drift from the API: changing either side without the other fails here. A package manifest
/// (a block opening with `// swift-tools-version`) cannot be compiled by a test; its products must
/// be library products of Fovea's own Package.swift.
final class ArticleListingTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryArticleListingIsCompiledCode() throws {
        let sources = try listingSources()
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let articles = try articleFiles()
        XCTAssertGreaterThanOrEqual(articles.count, 6, "the catalogs' articles were not found under Sources/*/*.docc")
        var listings = 0
        for article in articles {
            let text = try String(contentsOf: article, encoding: .utf8)
            let blocks = swiftBlocks(in: text)
            listings += blocks.count
            for (index, block) in blocks.enumerated() {
                let problem = block.hasPrefix("// swift-tools-version") ? try manifestMismatch(block, package: manifest) : mismatch(block, in: sources)
                XCTAssertNil(problem, "\(article.lastPathComponent), listing \(index + 1): \(problem ?? "")")
            }
        }
        XCTAssertGreaterThanOrEqual(listings, 12, "fewer listings than the articles hold: is the parser broken?")
    }

    func testTheCheckCatchesADriftedListing() throws {
        // Negative control: a listing one argument away from the compiled code, and an import the file lacks.
        let source = ["import Fovea\n\nfunc f() throws {\n    let x = try g(a: 1,\n              b: 2)\n}\n"]
        let article = "Text.\n\n```swift\nimport Fovea\n\nlet x = try g(a: 1,\n          b: 2)\n```\n\n```swift\nlet x = try g(a: 1, b: 3)\n```\n\n```swift\nimport FoveaImage\nlet x = try g(a: 1,\n```\n```sh\nnot swift\n```\n"
        let blocks = swiftBlocks(in: article)
        XCTAssertEqual(blocks.count, 3)
        XCTAssertNil(mismatch(blocks[0], in: source))
        XCTAssertEqual(mismatch(blocks[1], in: source), "no test source holds these lines:\nlet x = try g(a: 1, b: 3)")
        XCTAssertEqual(mismatch(blocks[2], in: source), "the test source holding it does not import FoveaImage")
    }

    /// The body of every ```` ```swift ```` fence, as written.
    func swiftBlocks(in text: String) -> [String] {
        var blocks: [String] = [], current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" { current = [] }
            else if current != nil, trimmed == "```" { blocks.append(current!.joined(separator: "\n")); current = nil }
            else if current != nil { current!.append(line) }
        }
        return blocks
    }

    func testTheCheckCatchesAManifestNamingAMissingProduct() throws {
        let package = #".library(name: "Fovea", targets: ["Fovea"]),"#
        XCTAssertNil(try manifestMismatch(#".product(name: "Fovea", package: "Fovea"),"#, package: package))
        XCTAssertEqual(try manifestMismatch(#".product(name: "FoveaVision", package: "Fovea"),"#, package: package),
                       "FoveaVision is not a library product of Package.swift")
        XCTAssertEqual(try manifestMismatch("// swift-tools-version:6.0", package: package), "the manifest names no Fovea product")
    }

    /// Why a manifest listing names products Fovea does not have, or nil when they all exist.
    func manifestMismatch(_ block: String, package: String) throws -> String? {
        let product = try NSRegularExpression(pattern: #"\.product\(name: "([^"]+)", package: "Fovea"\)"#)
        let names = product.matches(in: block, range: NSRange(block.startIndex..., in: block)).map {
            String(block[Range($0.range(at: 1), in: block)!])
        }
        guard !names.isEmpty else { return "the manifest names no Fovea product" }
        if let missing = names.first(where: { !package.contains(".library(name: \"\($0)\"") }) {
            return "\(missing) is not a library product of Package.swift"
        }
        return nil
    }

    /// Why `block` is not quoted from one of `sources`, or nil when it is.
    func mismatch(_ block: String, in sources: [String]) -> String? {
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let imports = lines.filter { $0.hasPrefix("import ") }
        let code = lines.filter { !$0.hasPrefix("import ") }.drop { $0.isEmpty }
        let needle = "\n" + code.joined(separator: "\n") + "\n"
        guard let source = sources.first(where: { normalized($0).contains(needle) }) else {
            return "no test source holds these lines:\n" + code.joined(separator: "\n")
        }
        let sourceLines = Set(normalized(source).split(separator: "\n").map(String.init))
        if let missing = imports.first(where: { !sourceLines.contains($0) }) {
            return "the test source holding it does not \(missing)"
        }
        return nil
    }

    /// Every line without its indentation, between newlines.
    func normalized(_ source: String) -> String {
        "\n" + source.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") + "\n"
    }

    /// The Swift files of this test target.
    func listingSources() throws -> [String] {
        let folder = root.appendingPathComponent("Tests/FoveaDocumentationTests")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix(".swift") && $0 != "ArticleListingTests.swift" }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Every Markdown file of every catalog under Sources.
    func articleFiles() throws -> [URL] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "md" && $0.pathComponents.contains { $0.hasSuffix(".docc") } }
            .sorted { $0.path < $1.path }
    }
}
