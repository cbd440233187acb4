import CPNG
import FoveaImage
import Foundation
import XCTest

/// Decoding at a reduced size (`ImageLimits.maxSide`), and the row-by-row PNG decoder against the
/// libpng simplified API that Fovea used before.
final class ReducedDecodeTests: XCTestCase {
    /// `width` × `height`, red left of `split`, blue from it on.
    func twoColour(width: Int, height: Int, split: Int) -> Image {
        var pixels: [UInt8] = []
        for _ in 0..<height { for x in 0..<width { pixels += x < split ? [255, 0, 0] : [0, 0, 255] } }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    func testPNGReducedByWholeBoxesKeepsColours() throws {
        let data = try twoColour(width: 100, height: 60, split: 48).pngData()
        // 100 / 25 = 4: boxes of 4 × 4, columns 0–11 all red, 12–24 all blue.
        let image = try Image(pngData: data, limits: ImageLimits(maxSide: 25))
        XCTAssertEqual([image.width, image.height, image.channels], [25, 15, 3])
        for y in 0..<15 {
            for x in 0..<25 { XCTAssertEqual([image[x, y, 0], image[x, y, 1], image[x, y, 2]], x < 12 ? [255, 0, 0] : [0, 0, 255]) }
        }
    }

    func testPNGBoxesAverageAndPartialEdgeBoxes() throws {
        // 10 × 12 grey, values x · 10 + y.
        let rows = (0..<12).map { (y: Int) -> [UInt8] in (0..<10).map { (x: Int) -> UInt8 in UInt8(x * 10 + y) } }
        let data = handMadePNG(width: 10, height: 12, bitDepth: 8, colorType: 0, rows: rows)
        // 12 / 4 = 3: boxes 3 × 3, and 10 columns leave a partial box of one column on the right.
        let image = try Image(pngData: data, limits: ImageLimits(maxSide: 4))
        XCTAssertEqual([image.width, image.height], [4, 4])
        XCTAssertEqual(Array(image.pixels[0..<4]), [11, 41, 71, 91])  // means over x 0–2, 3–5, 6–8, 9; y 0–2
        XCTAssertEqual(Array(image.pixels[12..<16]), [20, 50, 80, 100])  // y 9–11
        // 12 / 5 = 2: 5 × 6, then resized to fit 5: 4 × 5.
        let fitted = try Image(pngData: data, limits: ImageLimits(maxSide: 5))
        XCTAssertEqual([fitted.width, fitted.height], [4, 5])
    }

    func testPNGReducedThenResizedToMaxSide() throws {
        let data = try twoColour(width: 100, height: 60, split: 50).pngData()
        let image = try Image(pngData: data, limits: ImageLimits(maxSide: 30))
        XCTAssertEqual([image.width, image.height], [30, 18])
        XCTAssertEqual([image[2, 9, 0], image[2, 9, 2]], [255, 0])
        XCTAssertEqual([image[27, 9, 0], image[27, 9, 2]], [0, 255])
    }

    func testSmallImagesAreUntouchedByMaxSide() throws {
        let image = twoColour(width: 30, height: 20, split: 7)
        XCTAssertEqual(try Image(pngData: image.pngData(), limits: ImageLimits(maxSide: 30)), image)
        let jpeg = try image.jpegData()
        XCTAssertEqual(try Image(jpegData: jpeg, limits: ImageLimits(maxSide: 30)), try Image(jpegData: jpeg))
    }

    func testJPEGReducedInTheDecoder() throws {
        let data = try twoColour(width: 160, height: 96, split: 80).jpegData(quality: 95)
        // 1/8 keeps the longer side at 20: 20 × 12, red then blue.
        let image = try Image(jpegData: data, limits: ImageLimits(maxSide: 20))
        XCTAssertEqual([image.width, image.height, image.channels], [20, 12, 3])
        for (x, expected) in [(2, [255, 0, 0]), (17, [0, 0, 255])] {
            let got = (0..<3).map { Int(image[x, 6, $0]) }
            XCTAssertTrue(zip(got, expected).allSatisfy { abs($0 - $1) < 24 }, "\(got) at x = \(x)")
        }
        // 1/4 (40 × 24) is the largest reduction keeping 30, then resized to 30 × 18.
        let resized = try Image(jpegData: data, limits: ImageLimits(maxSide: 30))
        XCTAssertEqual([resized.width, resized.height], [30, 18])
    }

    /// Interlaced PNGs decode to the same pixels as non-interlaced ones, at full and reduced size.
    func testInterlacedPNGMatchesPlain() throws {
        for (width, height) in [(16, 12), (13, 7), (1, 1), (3, 9)] {
            let rows: [[UInt8]] = (0..<height).map { (y: Int) -> [UInt8] in
                (0..<width).flatMap { (x: Int) -> [UInt8] in [UInt8(x * 15 % 256), UInt8(y * 20), UInt8(x * y % 256)] }
            }
            let plain = handMadePNG(width: width, height: height, bitDepth: 8, colorType: 2, rows: rows)
            let interlaced = handMadePNG(width: width, height: height, bitDepth: 8, colorType: 2, rows: rows, interlaced: true)
            XCTAssertEqual(try Image(pngData: interlaced), try Image(pngData: plain), "\(width)x\(height)")
            XCTAssertEqual(try Image(pngData: interlaced), try simplifiedAPIDecode(interlaced), "\(width)x\(height)")
            let limits = ImageLimits(maxSide: max(1, max(width, height) / 3))
            XCTAssertEqual(try Image(pngData: interlaced, limits: limits), try Image(pngData: plain, limits: limits), "\(width)x\(height)")
        }
    }

    /// The row-by-row decoder gives libpng's simplified-API pixels, bit for bit, across colour
    /// types, bit depths, palettes with transparency, gamma chunks and 16-bit files.
    func testSameBytesAsTheSimplifiedAPI() throws {
        let width = 9, height = 5
        func rows(_ bytesPerRow: Int) -> [[UInt8]] {
            (0..<height).map { (y: Int) -> [UInt8] in (0..<bytesPerRow).map { (x: Int) -> UInt8 in UInt8((x * 29 + y * 53 + 7) % 256) } }
        }
        let palette: [UInt8] = (0..<16).flatMap { (i: Int) -> [UInt8] in [UInt8(i * 16), UInt8(255 - i * 16), UInt8(i * 7)] }
        let gamma: [UInt8] = [0, 0, 0xB1, 0x8F]  // gAMA 45455 = 1/2.2
        let linear: [UInt8] = [0, 1, 0x86, 0xA0]  // gAMA 100000 = 1.0
        let files: [(String, Data)] = [
            ("grey 8", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 0, rows: rows(9))),
            ("grey 2", handMadePNG(width: width, height: height, bitDepth: 2, colorType: 0, rows: rows(3))),
            ("grey 4 tRNS", handMadePNG(width: width, height: height, bitDepth: 4, colorType: 0, rows: rows(5), chunks: [("tRNS", [0, 7])])),
            ("grey+alpha 8", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 4, rows: rows(18))),
            ("grey+alpha 16", handMadePNG(width: width, height: height, bitDepth: 16, colorType: 4, rows: rows(36))),
            ("RGB 8", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 2, rows: rows(27))),
            ("RGB 8 tRNS", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 2, rows: rows(27), chunks: [("tRNS", [0, 7, 0, 36, 0, 65])])),
            ("RGB 8 gAMA 1.0", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 2, rows: rows(27), chunks: [("gAMA", linear)])),
            ("RGB 16", handMadePNG(width: width, height: height, bitDepth: 16, colorType: 2, rows: rows(54))),
            ("RGB 16 gAMA", handMadePNG(width: width, height: height, bitDepth: 16, colorType: 2, rows: rows(54), chunks: [("gAMA", gamma)])),
            ("RGB 16 gAMA 1.0", handMadePNG(width: width, height: height, bitDepth: 16, colorType: 2, rows: rows(54), chunks: [("gAMA", linear)])),
            ("RGBA 8", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 6, rows: rows(36))),
            ("RGBA 8 gAMA 1.0", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 6, rows: rows(36), chunks: [("gAMA", linear)])),
            ("RGBA 16", handMadePNG(width: width, height: height, bitDepth: 16, colorType: 6, rows: rows(72))),
            ("palette 4", handMadePNG(width: width, height: height, bitDepth: 4, colorType: 3, rows: rows(5).map { $0.map { $0 & 0xEE } },
                                      chunks: [("PLTE", palette)])),
            ("palette 8 tRNS", handMadePNG(width: width, height: height, bitDepth: 8, colorType: 3, rows: rows(9).map { $0.map { $0 % 16 } },
                                           chunks: [("PLTE", palette), ("tRNS", [0, 128, 255, 3])])),
        ]
        for (label, data) in files {
            let expected = try simplifiedAPIDecode(data)
            XCTAssertEqual(try Image(pngData: data), expected, label)
        }
        for channels in [1, 3, 4] {
            let pixels = (0..<(31 * 17 * channels)).map { UInt8(($0 * 37 + 11) % 256) }
            let data = try Image(width: 31, height: 17, channels: channels, pixels: pixels).pngData()
            XCTAssertEqual(try Image(pngData: data), try simplifiedAPIDecode(data), "written by Image, \(channels) channels")
        }
        // Interlaced 16-bit is where the two differ: libpng 1.6's simplified API puts rows of the
        // later passes in the wrong places (its output is not the image), while the row-by-row
        // decoder gives the same pixels as the non-interlaced file.
        let plain = handMadePNG(width: width, height: height, bitDepth: 16, colorType: 6, rows: rows(72))
        let interlaced = handMadePNG(width: width, height: height, bitDepth: 16, colorType: 6, rows: rows(72), interlaced: true)
        XCTAssertEqual(try Image(pngData: interlaced), try simplifiedAPIDecode(plain))
    }

    /// Every 16-bit sample (no gamma chunk: taken as sRGB) becomes the nearest 8-bit value,
    /// (v · 255 + 32767) / 65535.
    func testSixteenBitSamplesRoundToNearest() throws {
        let rows = (0..<256).map { (y: Int) -> [UInt8] in (0..<256).flatMap { (x: Int) -> [UInt8] in [UInt8(y), UInt8(x)] } }
        let image = try Image(pngData: handMadePNG(width: 256, height: 256, bitDepth: 16, colorType: 0, rows: rows))
        XCTAssertEqual(image.pixels, (0..<65536).map { UInt8(($0 * 255 + 32767) / 65535) })
    }

    /// Truncated and corrupt files are one-line errors naming the file on the reduced path too.
    func testTruncatedFilesFailWhenReduced() throws {
        var pixels: [UInt8] = []
        for y in 0..<64 { for x in 0..<64 { pixels += [UInt8(x * 4), UInt8(y * 4), UInt8((x * y) % 256)] } }
        let image = Image(width: 64, height: 64, channels: 3, pixels: pixels)
        let png = try image.pngData(), jpeg = try image.jpegData()
        let interlaced = handMadePNG(width: 64, height: 64, bitDepth: 8, colorType: 2,
                                     rows: (0..<64).map { Array(pixels[($0 * 192)..<(($0 + 1) * 192)]) }, interlaced: true)
        let limits = ImageLimits(maxSide: 16)
        assertRefused(["cut.png", "not a readable PNG"]) { _ = try Image(pngData: png.prefix(png.count / 2), name: "cut.png", limits: limits) }
        assertRefused(["cut.png", "not a readable PNG"]) {
            _ = try Image(pngData: interlaced.prefix(interlaced.count * 3 / 4), name: "cut.png", limits: limits)
        }
        assertRefused(["cut.jpg", "not a readable JPEG"]) { _ = try Image(jpegData: jpeg.prefix(jpeg.count / 2), name: "cut.jpg", limits: limits) }
        assertRefused(["empty.png", "empty"]) { _ = try Image(pngData: Data(), name: "empty.png", limits: limits) }
    }
}

/// `data` decoded by libpng's simplified API as Fovea's decoder did before the row-by-row one:
/// the file's colour and alpha, grey+alpha widened to RGBA, 16-bit files without gamma taken as sRGB.
func simplifiedAPIDecode(_ data: Data) throws -> Image {
    try data.withUnsafeBytes { raw in
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) != 0 else { throw CocoaError(.fileReadCorruptFile) }
        var format = png.format & (UInt32(PNG_FORMAT_FLAG_COLOR) | UInt32(PNG_FORMAT_FLAG_ALPHA))
        if format == UInt32(PNG_FORMAT_FLAG_ALPHA) { format |= UInt32(PNG_FORMAT_FLAG_COLOR) }
        png.format = format
        png.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let channels = format == UInt32(PNG_FORMAT_GRAY) ? 1 : format == UInt32(PNG_FORMAT_RGB) ? 3 : 4
        var pixels = [UInt8](repeating: 0, count: Int(png.width) * Int(png.height) * channels)
        guard pixels.withUnsafeMutableBytes({ png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }) != 0 else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return Image(width: Int(png.width), height: Int(png.height), channels: channels, pixels: pixels)
    }
}
