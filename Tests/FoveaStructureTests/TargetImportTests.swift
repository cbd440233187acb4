import XCTest
import Foundation

/// The one-way stack, enforced: every target imports only what `Package.swift` declares for it,
/// and declares only what the table "Layout of the code" in `docs/design.md` allows.
final class TargetImportTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Modules of the toolchain and of package dependencies that any target may import.
    let system: Set<String> = ["Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "XCTest", "Testing", "ArgumentParser", "SwiftProtobuf", "_Builtin_intrinsics"]

    func testImportsAreDeclaredAndAllowed() throws {
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let design = try String(contentsOf: root.appendingPathComponent("docs/design.md"), encoding: .utf8)
        let allowed = try allowedTable(design)
        XCTAssertFalse(allowed.isEmpty, "docs/design.md has no 'may import' table")
        let found = try problems(package: package, allowed: allowed, folders: try targetFolders())
        XCTAssertEqual(found, [], found.joined(separator: "\n"))
    }

    func testTheCheckCatchesAnUndeclaredImport() throws {
        // Negative control: the parser sees an import that a file really has.
        let folder = try scratchFolder()
        try Data("@_exported import FoveaImage\nimport struct FoveaTrain.TrainedRun\n// import Hidden\n".utf8)
            .write(to: folder.appendingPathComponent("A.swift"))
        XCTAssertEqual(try importedModules(in: folder), ["FoveaImage", "FoveaTrain"])
    }

    func testTheCheckCatchesEveryKindOfMismatch() throws {
        // Negative control for the whole check: a package and a table that disagree in each way.
        let folder = try scratchFolder()
        try Data("import B\nimport Z\n".utf8).write(to: folder.appendingPathComponent("A.swift"))
        try Data("import Foundation\n".utf8).write(to: folder.appendingPathComponent("Stray.swift"))
        let package = """
            targets: [
                .systemLibrary(name: "CLib", pkgConfig: "lib", providers: [.apt(["lib-dev"])]),
                .target(name: "B", dependencies: ["CLib"]),
                .target(name: "A", dependencies: [
                    "B", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ]),
                .testTarget(name: "ATests", dependencies: ["A"], exclude: ["x.txt"]),
            ]
            """
        let table = try allowedTable("""
            | target | what it holds | may import |
            |---|---|---|
            | `A` | a | `CLib` |
            | `ATests`, `Gone` | tests | `A` |

            | name | what | may |
            |---|---|---|
            | `NotATarget` | another table | `A` |
            """)
        XCTAssertEqual(try declaredDependencies(package), ["CLib": [], "B": ["CLib"], "A": ["B", "ArgumentParser"], "ATests": ["A"]])
        XCTAssertEqual(try problems(package: package, allowed: table, folders: [("A", folder), ("Stray", folder)]), [
            "A imports Z, which Package.swift does not declare for it",
            "A depends on B, which docs/design.md does not allow",
            "Stray is a folder of Swift files but not a target in Package.swift",
            "B is missing from the table in docs/design.md",
            "CLib is missing from the table in docs/design.md",
            "Gone is in the table in docs/design.md but not a target in Package.swift",
        ])
    }

    /// Everything wrong with `package` against the table and the folders' imports, one line each.
    func problems(package: String, allowed: [String: Set<String>], folders: [(String, URL)]) throws -> [String] {
        let declared = try declaredDependencies(package)
        let targets = try targetNames(package)
        var problems: [String] = []
        if Set(declared.keys) != Set(targets) {
            problems.append("the parser of Package.swift found \(declared.keys.sorted()) but the targets are \(targets.sorted())")
        }
        for (target, folder) in folders {
            guard let deps = declared[target] else {
                problems.append("\(target) is a folder of Swift files but not a target in Package.swift"); continue
            }
            for module in try importedModules(in: folder).subtracting(system).subtracting(deps).sorted() {
                problems.append("\(target) imports \(module), which Package.swift does not declare for it")
            }
            for module in deps.subtracting(system).subtracting(allowed[target] ?? []).sorted() where allowed[target] != nil {
                problems.append("\(target) depends on \(module), which docs/design.md does not allow")
            }
        }
        for target in targets.sorted() where allowed[target] == nil {
            problems.append("\(target) is missing from the table in docs/design.md")
        }
        for target in allowed.keys.sorted() where !targets.contains(target) {
            problems.append("\(target) is in the table in docs/design.md but not a target in Package.swift")
        }
        return problems
    }

    /// Every folder of Swift files under Sources and Tests, by name (a target's name is its folder's).
    func targetFolders() throws -> [(String, URL)] {
        var folders: [(String, URL)] = []
        for parent in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(parent)
            for name in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
                let folder = base.appendingPathComponent(name)
                if try !swiftFiles(in: folder).isEmpty { folders.append((name, folder)) }
            }
        }
        return folders
    }

    func swiftFiles(in folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// The modules `import` lines name (`import X`, `@_exported import X`, `import struct X.Y`).
    func importedModules(in folder: URL) throws -> Set<String> {
        var modules = Set<String>()
        let pattern = try NSRegularExpression(pattern: #"^\s*(?:@_exported\s+|@testable\s+)?import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#, options: .anchorsMatchLines)
        for file in try swiftFiles(in: folder) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                modules.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return modules
    }

    /// Every target's name in Package.swift, by a simpler pattern than `declaredDependencies`, so
    /// a target that parser skips is an error rather than unchecked.
    func targetNames(_ package: String) throws -> [String] {
        let target = try NSRegularExpression(pattern: #"\.(?:target|testTarget|executableTarget|systemLibrary|binaryTarget|plugin|macro)\(\s*name:\s*"([^"]+)""#)
        return target.matches(in: package, range: NSRange(package.startIndex..., in: package)).map {
            String(package[Range($0.range(at: 1), in: package)!])
        }
    }

    /// Each target's `dependencies:` in Package.swift (target names and product names).
    func declaredDependencies(_ text: String) throws -> [String: Set<String>] {
        let target = try NSRegularExpression(pattern: #"\.(?:target|testTarget|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(.*?)\)\s*,\s*(?=\.|//|\]|$)"#,
                                             options: [.dotMatchesLineSeparators, .anchorsMatchLines])
        let name = try NSRegularExpression(pattern: #""([A-Za-z_][A-Za-z0-9_]*)""#)
        var result: [String: Set<String>] = [:]
        for match in target.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let targetName = String(text[Range(match.range(at: 1), in: text)!])
            let rest = String(text[Range(match.range(at: 2), in: text)!])
            guard let open = rest.range(of: "dependencies:") else { result[targetName] = []; continue }
            let list = String(rest[open.upperBound...].prefix { $0 != "]" })
            let names = name.matches(in: list, range: NSRange(list.startIndex..., in: list)).map {
                String(list[Range($0.range(at: 1), in: list)!])
            }
            result[targetName] = Set(names)
        }
        return result
    }

    /// The table of docs/design.md: `| \`Target\` | what it holds | \`A\`, \`B\` |` rows under a
    /// header with a "may import" column.
    func allowedTable(_ text: String) throws -> [String: Set<String>] {
        var table: [String: Set<String>] = [:]
        var column: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // A line outside a table ends it: later tables are not this one.
            guard line.hasPrefix("|") else { column = nil; continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
            if let index = cells.firstIndex(of: "may import") { column = index; continue }
            guard let column, cells.count > column, let first = cells.first, first.hasPrefix("`") else { continue }
            let names = { (cell: String) in cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) } }
            for target in names(first) { table[target] = Set(names(cells[column])) }
        }
        return table
    }

    /// A fresh folder for a negative control, removed when the test ends.
    func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-imports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }
}
