import CPNG
import FoveaImage
import Foundation
import FoveaTestSupport
import XCTest

final class CodecTests: XCTestCase {
    /// A small image with distinct values in every sample.
    func pattern(width: Int, height: Int, channels: Int) -> Image {
        let pixels = (0..<(width * height * channels)).map { UInt8(($0 * 37 + 11) % 256) }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    func testPNGRoundTripGreyRGBRGBA() throws {
        let folder = try temporaryFolder().path
        for channels in [1, 3, 4] {
            let image = pattern(width: 7, height: 5, channels: channels)
            let path = folder + "/image\(channels).png"
            try image.write(to: path)
            XCTAssertEqual(try Image(contentsOfFile: path), image, "\(channels) channels")
        }
    }

    /// A 16-bit linear RGB file written by libpng itself: reading converts to 8-bit sRGB.
    func testSixteenBitPNGWrittenByLibpng() throws {
        let samples: [UInt16] = [0, 0, 0, 65535, 65535, 65535, 32768, 0, 65535]  // black, white, (½, 0, 1)
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = 3
        png.height = 1
        png.format = UInt32(PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLOR)
        var size = 0
        XCTAssertNotEqual(samples.withUnsafeBytes { png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, 0, nil) }, 0)
        var data = Data(count: size)
        XCTAssertNotEqual(data.withUnsafeMutableBytes { out in
            samples.withUnsafeBytes { png_image_write_to_memory(&png, out.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }, 0)

        let image = try Image(pngData: data.prefix(size))
        XCTAssertEqual(image.channels, 3)
        XCTAssertEqual(Array(image.pixels[0..<6]), [0, 0, 0, 255, 255, 255])
        // libpng encodes with its sRGB approximation, a pure 1/2.2 power: 255 · ½^(1/2.2) = 186.
        // (The exact IEC 61966-2-1 curve gives 188.)
        XCTAssertEqual(Int(image.pixels[6]), 186, accuracy: 1)
        XCTAssertEqual(Array(image.pixels[7...8]), [0, 255])
    }

    /// A 16-bit grey file with no gamma chunk, built by hand: samples are taken as sRGB, so the
    /// high byte is the 8-bit value.
    func testSixteenBitPNGWithoutGammaKeepsValues() throws {
        let data = handMadePNG(width: 2, height: 1, bitDepth: 16, colorType: 0, rows: [[0x00, 0x00, 0x80, 0x80]])
        let image = try Image(pngData: data)
        XCTAssertEqual(image.channels, 1)
        XCTAssertEqual(image.pixels, [0, 128])
    }

    /// A 1-bit grey file: bits expand to 0 and 255.
    func testOneBitPNG() throws {
        let data = handMadePNG(width: 4, height: 1, bitDepth: 1, colorType: 0, rows: [[0b1010_0000]])
        XCTAssertEqual(try Image(pngData: data).pixels, [255, 0, 255, 0])
    }

    func testJPEGRoundTripIsClose() throws {
        let folder = try temporaryFolder().path
        // Smooth content, so JPEG's loss is small.
        var pixels: [UInt8] = []
        for y in 0..<16 { for x in 0..<16 { pixels += [UInt8(x * 16), UInt8(y * 16), 128] } }
        let image = Image(width: 16, height: 16, channels: 3, pixels: pixels)
        let path = folder + "/smooth.jpg"
        try image.write(to: path)
        XCTAssertLessThan(try Data(contentsOf: URL(fileURLWithPath: path)).count, 2048)
        let decoded = try Image(contentsOfFile: path)
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [16, 16, 3])
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max()!
        XCTAssertLessThan(worst, 24)

        let grey = image.converted(toChannels: 1)
        let greyDecoded = try Image(jpegData: grey.jpegData(quality: 95))
        XCTAssertEqual(greyDecoded.channels, 1)
    }

    func testTruncatedAndCorruptFilesNameTheFile() throws {
        let folder = try temporaryFolder().path
        let image = pattern(width: 32, height: 32, channels: 3)
        let png = try image.pngData(), jpeg = try image.jpegData()

        let cases: [(String, Data)] = [
            ("cut.png", png.prefix(png.count / 2)),
            ("cut.jpg", jpeg.prefix(jpeg.count / 2)),
            ("garbage.png", Data(png.prefix(8)) + Data(repeating: 0x42, count: 100)),
            ("garbage.jpg", Data(jpeg.prefix(4)) + Data(repeating: 0x42, count: 100)),
            ("text.png", Data("not an image".utf8)),
            ("empty.jpg", Data()),
        ]
        for (name, bytes) in cases {
            let path = folder + "/" + name
            try bytes.write(to: URL(fileURLWithPath: path))
            assertThrowsMentioning(name) { _ = try Image(contentsOfFile: path) }
        }
        assertThrowsMentioning("missing.png") { _ = try Image(contentsOfFile: folder + "/missing.png") }
    }

    func testWriteIsAtomicAndLeavesNoTemporaryFiles() throws {
        let folder = try temporaryFolder().path
        try pattern(width: 3, height: 3, channels: 1).write(to: folder + "/a.png")
        try pattern(width: 4, height: 4, channels: 1).write(to: folder + "/a.png")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["a.png"])
        XCTAssertEqual(try Image(contentsOfFile: folder + "/a.png").width, 4)
        assertThrowsMentioning("a.bmp") { try pattern(width: 2, height: 2, channels: 1).write(to: folder + "/a.bmp") }
    }
}
