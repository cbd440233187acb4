// The summary as an aligned text table (what `fovea summary` prints).

extension ModelSummary {
    /// The rows as an aligned table followed by the totals.
    public func table() -> String {
        let header = ["layer", "type", "output", "params", "MACs", "RF", "jump", "memory"]
        let body = layers.map { l in
            [l.path, l.type, l.outputShape.map(String.init).joined(separator: "x"), grouped(l.parameters),
             l.multiplyAccumulates == 0 ? "-" : scaledCount(l.multiplyAccumulates),
             pair(l.receptiveField), pair(l.jump), bytes(l.outputBytes)]
        }
        let rightAligned: Set<Int> = [3, 4, 5, 6, 7]
        let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let fill = String(repeating: " ", count: widths[c] - text.count)
                return rightAligned.contains(c) ? fill + text : text + fill
            }.joined(separator: "  ")
        }
        var out = [line(header), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        out += body.map(line)
        let largestTwo = activationSizes.prefix(2).reduce(0, +)
        out += [
            "",
            "input: \(inputShape.map(String.init).joined(separator: "x"))",
            "parameters: \(grouped(parameters)) (\(bytes(parameterBytes)) as Float32)",
            "multiply-accumulates: \(scaledCount(multiplyAccumulates)) (\(grouped(multiplyAccumulates)))",
            "activations: total \(bytes(totalActivationBytes)) (every layer's output), "
                + "peak \(bytes(peakActivationBytes)) alive at once (estimate), largest two \(bytes(largestTwo))",
        ]
        return out.joined(separator: "\n")
    }
}

/// `1234567` → `1,234,567`.
private func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// `4089184256` → `4.089G` (four significant digits with a K/M/G suffix).
private func scaledCount(_ n: Int) -> String {
    let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "K")]
    let x = Double(n)
    guard let (scale, suffix) = units.first(where: { x >= $0.0 }) else { return String(n) }
    return significant(x / scale, 4) + suffix
}

/// `3211264` bytes → `3.06 MiB`.
private func bytes(_ n: Int) -> String {
    let units: [(Double, String)] = [(1_073_741_824, "GiB"), (1_048_576, "MiB"), (1024, "KiB")]
    let x = Double(n)
    guard let (scale, suffix) = units.first(where: { x >= $0.0 }) else { return "\(n) B" }
    return significant(x / scale, 3) + " " + suffix
}

/// `x` (≥ 1) with `digits` significant digits, without exponent notation.
private func significant(_ x: Double, _ digits: Int) -> String {
    var decimals = digits - 1, magnitude = 10.0
    while x >= magnitude && decimals > 0 { decimals -= 1; magnitude *= 10 }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    let whole = Int(rounded)
    guard decimals > 0 else { return String(whole) }
    let fraction = String(Int(((rounded - Double(whole)) * scale).rounded()))
    return "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

private func pair(_ p: (Int, Int)) -> String { p.0 == p.1 ? String(p.0) : "\(p.0)x\(p.1)" }
