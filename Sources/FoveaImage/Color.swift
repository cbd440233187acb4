/// An opaque 8-bit sRGB colour.
public struct Color: Sendable, Hashable {
    /// Red, 0…255.
    public var red: UInt8
    /// Green, 0…255.
    public var green: UInt8
    /// Blue, 0…255.
    public var blue: UInt8

    /// A colour from its components.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// A colour from components in [0, 1] (clamped), rounded to bytes.
    public init(red: Double, green: Double, blue: Double) {
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        self.init(red: byte(red), green: byte(green), blue: byte(blue))
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var hexString: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The straight mix `(1 − t)·self + t·other`.
    public func mixed(with other: Color, _ t: Double) -> Color {
        func mix(_ a: UInt8, _ b: UInt8) -> Double { ((1 - t) * Double(a) + t * Double(b)) / 255 }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    /// White.
    public static let white = Color(hex: 0xFFFFFF)
    /// Black.
    public static let black = Color(hex: 0x000000)
    /// The dark grey of axes and text.
    public static let ink = Color(hex: 0x333333)
    /// The light grey of grid lines.
    public static let gridLine = Color(hex: 0xE5E5E5)

    /// Ten distinguishable series colours: the Tableau 10 palette, matplotlib's default colour cycle.
    public static let categorical: [Color] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { Color(hex: $0) }
}
