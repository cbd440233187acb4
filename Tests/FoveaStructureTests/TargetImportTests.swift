import XCTest
import Foundation

/// The one-way stack, enforced: every target imports only what `Package.swift` declares for it,
/// and declares only what the table "Layout of the code" in `docs/design.md` allows.
final class TargetImportTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Modules of the toolchain and of package dependencies that any target may import.
    let system: Set<String> = ["Foundation", "Glibc", "Darwin", "Dispatch", "XCTest", "Testing", "ArgumentParser", "_Builtin_intrinsics"]

    func testImportsAreDeclaredAndAllowed() throws {
        let allowed = try allowedTable()
        let declared = try declaredDependencies()
        XCTAssertFalse(allowed.isEmpty, "docs/design.md has no 'may import' table")
        var problems: [String] = []
        for (target, folder) in try targetFolders() {
            let imports = try importedModules(in: folder).subtracting(system)
            let deps = declared[target] ?? []
            for module in imports.subtracting(deps).sorted() {
                problems.append("\(target) imports \(module), which Package.swift does not declare for it")
            }
            guard let permitted = allowed[target] else {
                problems.append("\(target) is missing from the table in docs/design.md"); continue
            }
            for module in deps.subtracting(permitted).sorted() {
                problems.append("\(target) depends on \(module), which docs/design.md does not allow")
            }
        }
        XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
    }

    func testTheCheckCatchesAnUndeclaredImport() throws {
        // Negative control: the parser sees an import that a file really has.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-imports-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("@_exported import FoveaImage\nimport struct FoveaTrain.TrainedRun\n// import Hidden\n".utf8)
            .write(to: folder.appendingPathComponent("A.swift"))
        XCTAssertEqual(try importedModules(in: folder), ["FoveaImage", "FoveaTrain"])
    }

    /// Every Swift target's folder (sources and tests), by target name.
    func targetFolders() throws -> [(String, URL)] {
        var folders: [(String, URL)] = []
        for parent in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(parent)
            for name in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
                let folder = base.appendingPathComponent(name)
                if try !importedModules(in: folder).isEmpty || (try swiftFiles(in: folder)).count > 0 { folders.append((name, folder)) }
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

    /// Each target's `dependencies:` in Package.swift (target names and product names).
    func declaredDependencies() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let target = try NSRegularExpression(pattern: #"\.(?:target|testTarget|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(.*?)\)\s*,\s*(?=\.|//|\]|$)"#,
                                             options: [.dotMatchesLineSeparators, .anchorsMatchLines])
        let name = try NSRegularExpression(pattern: #""([A-Za-z_][A-Za-z0-9_]*)""#)
        var result: [String: Set<String>] = [:]
        for match in target.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let targetName = String(text[Range(match.range(at: 1), in: text)!])
            let rest = String(text[Range(match.range(at: 2), in: text)!])
            guard let open = rest.range(of: "dependencies:") else { result[targetName] = []; continue }
            let list = rest[open.upperBound...].prefix { $0 != "]" }
            let names = name.matches(in: String(list), range: NSRange(list.startIndex..., in: list)).map {
                String(list[Range($0.range(at: 1), in: list)!])
            }
            result[targetName] = Set(names).subtracting(["swift-argument-parser"])
        }
        return result
    }

    /// The table of docs/design.md: `| \`Target\` | what it holds | \`A\`, \`B\` |` rows under a
    /// header with a "may import" column.
    func allowedTable() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/design.md"), encoding: .utf8)
        var table: [String: Set<String>] = [:]
        var column: Int?
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
            if let index = cells.firstIndex(of: "may import") { column = index; continue }
            guard let column, cells.count > column, let first = cells.first, first.hasPrefix("`") else { continue }
            let names = { (cell: String) in cell.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) } }
            for target in names(first) { table[target] = Set(names(cells[column])) }
        }
        return table
    }
}
