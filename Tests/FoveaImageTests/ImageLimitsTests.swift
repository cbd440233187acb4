import FoveaImage
import Foundation
import FoveaTestSupport
import XCTest

/// Hostile headers: a few bytes that declare an enormous image must be refused from the header,
/// before any pixel memory is allocated, with one line naming the file, the size and the limit.
final class ImageLimitsTests: XCTestCase {
    /// 60000 × 60000 RGBA16 in 74 bytes: the old decoder allocated 14.4 GB before reading a pixel.
    func testHugePNGHeaderIsRefusedBeforeAllocating() {
        let data = pngDeclaring(width: 60000, height: 60000, bitDepth: 16, colorType: 6)
        XCTAssertLessThan(data.count, 80)
        assertRefused(["bomb.png", "60000x60000", "178956970", "--max-image-pixels"]) {
            _ = try Image(pngData: data, name: "bomb.png")
        }
    }

    /// The largest side PNG allows (2^31 − 1) squared overflows nothing and is refused.
    func testLargestPNGHeaderIsRefused() {
        let data = pngDeclaring(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, bitDepth: 8, colorType: 2)
        assertThrowsMentioning("huge.png") { _ = try Image(pngData: data, name: "huge.png") }
        assertThrowsMentioning("huge.png") { _ = try Image(pngData: data, name: "huge.png", limits: .working()) }
    }

    /// 20000 × 20000 with a bogus IDAT: the old decoder reached 415 MB before libpng refused it.
    /// Reduced while reading, it costs the reduced image and fails on the missing data.
    func testPNGBombIsRefusedOrReducedWithoutAllocatingItsSize() {
        let data = pngDeclaring(width: 20000, height: 20000, bitDepth: 8, colorType: 2)
        assertRefused(["bomb.png", "20000x20000", "178956970"]) { _ = try Image(pngData: data, name: "bomb.png") }
        assertRefused(["bomb.png", "not a readable PNG"]) { _ = try Image(pngData: data, name: "bomb.png", limits: .working()) }
    }

    func testJPEGHeaderOverTheLimitIsRefused() throws {
        let data = try jpegDeclaring(width: 60000, height: 50000)
        assertRefused(["bomb.jpg", "60000x50000", "178956970", "--max-image-pixels"]) {
            _ = try Image(jpegData: data, name: "bomb.jpg")
        }
        // At 1/8 scale, 7500 × 6250 is allowed; the stream then ends long before the pixels do.
        assertRefused(["bomb.jpg", "not a readable JPEG"]) { _ = try Image(jpegData: data, name: "bomb.jpg", limits: .working()) }
        // With a smaller limit, even the reduced size is refused, and the message says so.
        assertRefused(["bomb.jpg", "7500x6250 even when reduced", "1000000"]) {
            _ = try Image(jpegData: data, name: "bomb.jpg", limits: .working(maxPixels: 1_000_000))
        }
    }

    func testLimitIsInclusiveAndAppliesToFiles() throws {
        let folder = try temporaryFolder().path
        let image = Image(width: 20, height: 10, filledWith: [7, 8, 9])
        for (name, data) in [("a.png", try image.pngData()), ("a.jpg", try image.jpegData())] {
            let path = folder + "/" + name
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(try Image(contentsOfFile: path, limits: ImageLimits(maxPixels: 200)).width, 20)
            assertRefused([path, "20x10", "199 pixels"]) { _ = try Image(contentsOfFile: path, limits: ImageLimits(maxPixels: 199)) }
        }
    }

    /// An interlaced PNG cannot be reduced row by row: over the limit at full size, it is refused
    /// even though its reduced size would fit, and the message says why.
    func testInterlacedPNGOverTheLimitAtFullSizeIsRefused() throws {
        let rows = (0..<40).map { y in (0..<40).map { x in UInt8((x + y) % 256) } }
        let interlaced = handMadePNG(width: 40, height: 40, bitDepth: 8, colorType: 0, rows: rows, interlaced: true)
        let plain = handMadePNG(width: 40, height: 40, bitDepth: 8, colorType: 0, rows: rows)
        let limits = ImageLimits(maxPixels: 1000, maxSide: 10)
        assertRefused(["i.png", "interlaced", "40x40", "1000 pixels"]) { _ = try Image(pngData: interlaced, name: "i.png", limits: limits) }
        XCTAssertEqual(try Image(pngData: plain, limits: limits).width, 10)
        XCTAssertEqual(try Image(pngData: interlaced, limits: ImageLimits(maxPixels: 1600, maxSide: 10)).width, 10)
    }

    /// Byte strings near valid files (mutated, cut, with their sizes rewritten) never trap and
    /// always give an image within the limits or an error naming the data.
    func testMutatedFilesNeverTrapOrExceedLimits() throws {
        var pixels: [UInt8] = []
        for y in 0..<24 { for x in 0..<32 { pixels += [UInt8(x * 8), UInt8(y * 10), UInt8((x ^ y) * 4)] } }
        let image = Image(width: 32, height: 24, channels: 3, pixels: pixels)
        let interlaced = handMadePNG(width: 32, height: 24, bitDepth: 8, colorType: 2,
                                     rows: (0..<24).map { Array(pixels[($0 * 96)..<(($0 + 1) * 96)]) }, interlaced: true)
        let seeds = try [image.pngData(), image.jpegData(), interlaced]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let limits = [ImageLimits(maxPixels: 4096), ImageLimits(maxPixels: 4096, maxSide: 7)]
        for round in 0..<600 {
            var bytes = [UInt8](seeds[round % seeds.count])
            for _ in 0..<(1 + next() % 4) {
                let i = 8 + next() % (bytes.count - 8)
                // Half the time hit the header, where the sizes are.
                let at = next() % 2 == 0 ? min(i, 8 + next() % 24) : i
                bytes[at] = UInt8(truncatingIfNeeded: next())
            }
            if next() % 4 == 0 { bytes = Array(bytes.prefix(next() % bytes.count)) }
            for limit in limits {
                do {
                    let decoded = round % 3 == 1 ? try Image(jpegData: Data(bytes), name: "m.jpg", limits: limit)
                                                 : try Image(pngData: Data(bytes), name: "m.png", limits: limit)
                    XCTAssertLessThanOrEqual(decoded.width * decoded.height, limit.maxPixels)
                    if let side = limit.maxSide { XCTAssertLessThanOrEqual(max(decoded.width, decoded.height), side) }
                } catch {
                    let text = "\(error)"
                    XCTAssertTrue(text.hasPrefix("m.png: ") || text.hasPrefix("m.jpg: "), text)
                    XCTAssertFalse(text.contains("\n"), text)
                }
            }
        }
    }

    /// A progressive JPEG keeps every coefficient of the full-size image while decoding, even at
    /// 1/8 scale: that working memory is capped too, and the refusal says so.
    func testProgressiveJPEGWorkingMemoryIsCapped() throws {
        var bytes = [UInt8](tinyProgressiveJPEG)
        XCTAssertEqual(try Image(jpegData: Data(bytes)).width, 8)
        let sof = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC2 })
        for offset in [5, 7] { bytes[sof + offset] = 0x4E; bytes[sof + offset + 1] = 0x20 }  // 20000 × 20000
        // 2500 × 2500 at 1/8 fits 10 M pixels, but the coefficients (1.2 GB) do not fit 60 MB.
        assertRefused(["p.jpg", "20000x20000", "working memory", "progressive", "10000000 pixels", "--max-image-pixels"]) {
            _ = try Image(jpegData: Data(bytes), name: "p.jpg", limits: .working(maxPixels: 10_000_000))
        }
    }

    /// A real JPEG whose frame header (SOF0) is rewritten to declare `width` × `height`.
    func jpegDeclaring(width: Int, height: Int) throws -> Data {
        var bytes = [UInt8](try Image(width: 16, height: 16, filledWith: [90, 120, 150]).jpegData())
        let sof = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = UInt8(height >> 8); bytes[sof + 6] = UInt8(height & 0xFF)
        bytes[sof + 7] = UInt8(width >> 8); bytes[sof + 8] = UInt8(width & 0xFF)
        return Data(bytes)
    }
}

/// Asserts that `body` throws a one-line error mentioning every fragment.
func assertRefused(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch {
        let text = "\(error)"
        for fragment in fragments {
            XCTAssertTrue(text.contains(fragment), "error \"\(text)\" does not mention \(fragment)", file: file, line: line)
        }
        XCTAssertFalse(text.contains("\n"), "error \"\(text)\" is not one line", file: file, line: line)
    }
}

/// An 8 × 8 RGB progressive JPEG (libjpeg, `jpeg_simple_progression`, quality 85); Fovea's encoder
/// writes baseline only.
private let tinyProgressiveJPEG = Data(base64Encoded: [
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEY",
        "Gh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4e",
        "Hh4eHh4eHh4eHh4eHh7/wgARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAVAQEBAAAAAAAAAAAA",
        "AAAAAAAEB//aAAwDAQACEAMQAAABjifN/8QAFhAAAwAAAAAAAAAAAAAAAAAAAAQF/9oACAEBAAEFAkZR/8QAGREAAQUAAAAA",
        "AAAAAAAAAAAABQABBBQh/9oACAEDAQE/AQpORVbV/8QAGBEAAgMAAAAAAAAAAAAAAAAAAAQDEjH/2gAIAQIBAT8BZfnvp//E",
        "ABYQAAMAAAAAAAAAAAAAAAAAAAABIv/aAAgBAQAGPwJSf//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAT8hR//aAAwD",
        "AQACAAMAAAAQ9//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQMBAT8QN//EABURAQEAAAAAAAAAAAAAAAAAAAAR/9oACAEC",
        "AQE/EKp//8QAFRABAQAAAAAAAAAAAAAAAAAAAPH/2gAIAQEAAT8Qiv/Z",
].joined())!
