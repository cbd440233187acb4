import FoveaImage
import FoveaTensor
import XCTest

final class TransformTests: XCTestCase {
    func grey(_ width: Int, _ height: Int, _ values: [UInt8]) -> Image {
        Image(width: width, height: height, channels: 1, pixels: values)
    }

    /// Enlarging is bilinear with half-pixel centres, as PyTorch's `interpolate(mode="bilinear",
    /// align_corners=False)`: output centres 0.25, 0.75, 1.25, 1.75 over inputs [0, 100].
    func testEnlargeIsBilinear() {
        XCTAssertEqual(grey(2, 1, [0, 100]).resized(width: 4, height: 1).pixels, [0, 25, 75, 100])
        XCTAssertEqual(grey(1, 2, [0, 100]).resized(width: 1, height: 4).pixels, [0, 25, 75, 100])
        let rgb = Image(width: 2, height: 1, channels: 3, pixels: [0, 200, 40, 100, 0, 40])
        XCTAssertEqual(rgb.resized(width: 4, height: 1).pixels,
                       [0, 200, 40, 25, 150, 40, 75, 50, 40, 100, 0, 40])
    }

    /// Shrinking 4 → 2 with antialiasing: the triangle widens to half-width 2, so output 0 (centre 1)
    /// weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25 (PIL's BILINEAR); without it, only inputs 0 and 1.
    func testShrinkAntialiasedAndNot() {
        let image = grey(4, 1, [0, 100, 200, 250])
        // (0·.75 + 100·.75 + 200·.25) / 1.75 = 71.4;  (100·.25 + 200·.75 + 250·.75) / 1.75 = 207.1
        XCTAssertEqual(image.resized(width: 2, height: 1).pixels, [71, 207])
        XCTAssertEqual(image.resized(width: 2, height: 1, antialias: false).pixels, [50, 225])
        let flat = Image(width: 9, height: 7, filledWith: [10, 20, 30])
        XCTAssertEqual(flat.resized(width: 4, height: 3), Image(width: 4, height: 3, filledWith: [10, 20, 30]))
    }

    func testShorterSideAndCenterCrop() {
        let wide = Image(width: 40, height: 20, filledWith: [7])
        XCTAssertEqual([wide.resized(shorterSide: 10).width, wide.resized(shorterSide: 10).height], [20, 10])
        let tall = Image(width: 30, height: 45, filledWith: [7])
        XCTAssertEqual([tall.resized(shorterSide: 20).width, tall.resized(shorterSide: 20).height], [20, 30])

        let indexed = grey(5, 4, (0..<20).map(UInt8.init))
        XCTAssertEqual(indexed.centerCropped(width: 3, height: 2).pixels, [6, 7, 8, 11, 12, 13])
        // Offset round(1.5) = 2 with ties to even, as torchvision's CenterCrop.
        XCTAssertEqual(grey(6, 1, [0, 1, 2, 3, 4, 5]).centerCropped(width: 3, height: 1).pixels, [2, 3, 4])
    }

    func testGreyAndColorConversion() {
        let rgb = Image(width: 3, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255])
        // BT.601 luma in PIL's fixed point: 0.299·255 → 76, 0.587·255 → 150, 0.114·255 → 29.
        XCTAssertEqual(rgb.converted(toChannels: 1).pixels, [76, 150, 29])
        XCTAssertEqual(grey(2, 1, [9, 200]).converted(toChannels: 3).pixels, [9, 9, 9, 200, 200, 200])
        XCTAssertEqual(grey(1, 1, [9]).converted(toChannels: 4).pixels, [9, 9, 9, 255])
        XCTAssertEqual(rgb.converted(toChannels: 4).converted(toChannels: 3), rgb)
    }

    func testTensorIsCHWAndNormalised() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 51])
        let tensor = image.tensor(mean: [0.5], std: [0.5])
        XCTAssertEqual(tensor.shape, [3, 1, 2])
        let expected: [Float] = [1, -1, -1, 1, -1, -0.6]
        for (a, b) in zip(tensor.storage, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let perChannel = image.tensor(mean: [0, 0, 0.2], std: [1, 1, 0.5])
        XCTAssertEqual(perChannel.storage[5], 0, accuracy: 1e-6)
        XCTAssertEqual(Image(tensor: image.tensor()), image)
    }

    func testColormapEndpoints() {
        // Published viridis ends: #440154 and #fde725; the polynomial fit is within 4 levels.
        func near(_ color: Color, _ hex: UInt32, within tolerance: Int = 4, _ line: UInt = #line) {
            let target = Color(hex: hex)
            for (a, b) in [(color.red, target.red), (color.green, target.green), (color.blue, target.blue)] {
                XCTAssertLessThanOrEqual(abs(Int(a) - Int(b)), tolerance, "\(color.hexString) vs \(target.hexString)", line: line)
            }
        }
        near(Colormap.viridis.table[0], 0x440154)
        near(Colormap.viridis.table[255], 0xFDE725)
        XCTAssertEqual(Colormap.viridis.color(at: -3), Colormap.viridis.table[0])
        XCTAssertEqual(Colormap.viridis.color(at: 7), Colormap.viridis.table[255])
        // Viridis brightens monotonically; turbo is dark at both ends and bright in the middle.
        func luma(_ c: Color) -> Double { 0.299 * Double(c.red) + 0.587 * Double(c.green) + 0.114 * Double(c.blue) }
        let viridisLuma = Colormap.viridis.table.map(luma)
        XCTAssertTrue(zip(viridisLuma, viridisLuma.dropFirst()).allSatisfy { $0 < $1 + 0.5 })
        let turbo = Colormap.turbo.table
        XCTAssertEqual(turbo.count, 256)
        XCTAssertGreaterThan(luma(turbo[128]), 2 * luma(turbo[0]))
        XCTAssertGreaterThan(luma(turbo[128]), 2 * luma(turbo[255]))
        // Starts blue-violet (the fit runs dark over the first few entries: #23171b at 0 against the
        // reference #30123b, so check a little way in)…
        XCTAssertGreaterThan(turbo[8].blue, turbo[8].red + 40)
        XCTAssertGreaterThan(turbo[255].red, turbo[255].blue)  // …ends dark red
    }

    func testHeatmapOverlay() {
        let image = Image(width: 4, height: 4, filledWith: [100])
        let map = Tensor(shape: [2, 2], repeating: 1)
        XCTAssertEqual(image.overlaying(map, opacity: 0), image.converted(toChannels: 3))
        let top = Colormap.turbo.table[255]
        XCTAssertEqual(image.overlaying(map, colormap: .turbo, opacity: 1),
                       Image(width: 4, height: 4, filledWith: [top.red, top.green, top.blue]))
        let half = image.overlaying(Tensor(shape: [1, 4, 4], repeating: 0), colormap: .viridis, opacity: 0.5)
        let low = Colormap.viridis.table[0]
        XCTAssertEqual(half.pixels[0], UInt8(((100 + Float(low.red)) / 2).rounded()))
        let coloured = Colormap.viridis.image(of: Tensor(shape: [1, 3], storage: [0, 0.5, 1]))
        XCTAssertEqual(coloured.pixels[6...8].map { $0 }, [Colormap.viridis.table[255].red,
                       Colormap.viridis.table[255].green, Colormap.viridis.table[255].blue])
    }
}
