import XCTest
import Fovea
import FoveaImage
import FoveaInterpret
import FoveaTestSupport

/// From image files to heatmaps on the original image, and the errors a user can hit.
final class PipelineTests: XCTestCase {
    let spec = InputSpec(channels: 3, resize: 16, crop: 16, mean: [0.5], std: [0.25], classNames: ["a", "b", "c", "d", "e"])

    func testHeatmapsOfALargeImageAreKeptToADisplaySize() throws {
        // 2000x1500 grey: the heatmap keeps the aspect ratio at most maxHeatmapSide on its longer side.
        let large = Image(width: 2000, height: 1500, channels: 1, pixels: [UInt8](repeating: 90, count: 2000 * 1500))
        let model = ExplainedModel(model: try TinyCNN.reference(), spec: spec, description: "tiny")
        let e = try Explanation.explain([large], model: model, methods: [AttributionKind.gradCAM.method()])[0]
        XCTAssertEqual(Explanation.maxHeatmapSide, 1024)
        XCTAssertEqual(e.maps[0].heatmap.shape, [768, 1024])
        XCTAssertEqual(e.heatmapImage(0).width, 1024)
    }

    func testImagesOfAnySizeAndColourGetMapsOfTheirOwnSize() throws {
        let grey = Image(width: 40, height: 30, channels: 1, pixels: (0..<1200).map { UInt8($0 % 251) })
        let rgb = Image(width: 16, height: 16, channels: 3, pixels: (0..<768).map { UInt8(($0 * 7) % 256) })
        let model = ExplainedModel(model: try TinyCNN.reference(), spec: spec, description: "tiny")
        let methods = [AttributionKind.gradCAM, .saliency, .occlusion].map { $0.method() }
        let explanations = try Explanation.explain([grey, rgb], model: model, methods: methods, targets: [2])
        XCTAssertEqual(explanations.map(\.target), [2, 2])
        XCTAssertEqual(explanations[0].notes, ["converted grey to RGB", "resized 40x30 to 16x16"])
        XCTAssertEqual(explanations[1].notes, [])
        for (e, image) in zip(explanations, [grey, rgb]) {
            XCTAssertEqual(e.maps.map(\.method), [.gradCAM, .saliency, .occlusion])
            XCTAssertEqual(e.maps[0].layer, "features.4")
            for m in e.maps {
                XCTAssertEqual(m.heatmap.shape, [image.height, image.width])
                XCTAssertTrue(m.heatmap.storage.allSatisfy { (0...1).contains($0) })
                XCTAssertGreaterThan(m.heatmap.storage.max()!, 0.5)
            }
            let sheet = e.comparisonSheet().drawing(font: nil)
            XCTAssertEqual(sheet.shapes.filter { if case .image = $0 { true } else { false } }.count, 4 + 1, "input, 3 overlays, legend")
        }
    }

    /// The crop's part of the original gets the map; what the crop cut off gets 0.
    func testMapBackInvertsResizeAndCenterCrop() {
        let wide = spec.mapBack(Tensor(shape: [16, 16], repeating: 1), width: 32, height: 16)
        XCTAssertEqual(wide.shape, [16, 32])
        XCTAssertEqual((0..<32).map { wide.storage[5 * 32 + $0] }, (0..<32).map { (8..<24).contains($0) ? 1 : 0 })
        // Halving: a left-to-right ramp stays a ramp at twice the size.
        let ramp = Tensor(shape: [16, 16], storage: (0..<256).map { Float($0 % 16) })
        let big = spec.mapBack(ramp, width: 32, height: 32)
        XCTAssertEqual(big.storage[3 * 32 + 0], 0)
        XCTAssertEqual(big.storage[3 * 32 + 31], 15)
        XCTAssertEqual(big.storage[3 * 32 + 16], 7.75, accuracy: 1e-5)
    }

    func testBadInputGetsClearErrors() throws {
        let explainer = try Explainer(TinyCNN.reference())
        let x = try Fixture("interpret/tiny_cnn")["input"]
        XCTAssertEqual(try explainer.resolveLayer(.automatic, for: x), "features.4")
        XCTAssertThrowsError(try ClassActivationMap(layer: .named("features.9")).attribute(x, targets: nil, explainer: explainer)) {
            XCTAssertTrue("\($0)".contains("unknown layer 'features.9'; valid layers: features, features.0, features.1"), "\($0)")
        }
        XCTAssertThrowsError(try ClassActivationMap(layer: .named("classifier")).attribute(x, targets: nil, explainer: explainer)) {
            XCTAssertTrue("\($0)".contains("layer 'classifier' outputs [2, 5], not a spatial map"), "\($0)")
        }
        XCTAssertThrowsError(try Saliency().attribute(x, targets: [5], explainer: explainer)) {
            XCTAssertTrue("\($0)".contains("class 5 is out of range: the model has 5 classes (0…4)"), "\($0)")
        }
        XCTAssertThrowsError(try AttributionKind(named: "lime")) { XCTAssertTrue("\($0)".contains("unknown method 'lime'; known: gradcam"), "\($0)") }
        XCTAssertThrowsError(try Image(pngData: Data([1, 2, 3]), name: "bad.png"))
    }

    /// Deletion / insertion separate a real map from a random one on the synthetic task.
    func testFaithfulnessBeatsRandom() throws {
        let (model, test, labels) = try Synthetic.trainedModel()
        let positives = labels.indices.filter { labels[$0] == 1 }.prefix(16)
        let x = Tensor(shape: [positives.count, 1, 16, 16], storage: positives.flatMap { test.storage[($0 * 256)..<(($0 + 1) * 256)] })
        let metric = Faithfulness(steps: 16)
        let explainer = Explainer(model)
        let cam = try metric.evaluate(ClassActivationMap(.gradCAM), input: x, black: [0], explainer: explainer)
        let random = try metric.evaluate(RandomAttribution(), input: x, black: [0], explainer: explainer)
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        XCTAssertLessThan(mean(cam.deletion), mean(random.deletion) - 0.1)
        XCTAssertGreaterThan(mean(cam.insertion), mean(random.insertion))
    }

    func testFiltersAndFeatureViews() throws {
        let explainer = try Explainer(TinyCNN.reference())
        let filters = try explainer.firstLayerFilters()
        XCTAssertEqual(filters.images.count, 4)
        XCTAssertEqual(filters.images[0].channels, 3)
        let x = try Fixture("interpret/tiny_cnn")["input"]
        let maps = try explainer.featureMaps(Tensor(shape: [1, 3, 16, 16], storage: Array(x.storage[0..<768])), layer: "features.3")
        XCTAssertEqual(maps.images.count, 8)
        XCTAssertEqual(maps.images[0].width, 8)
        XCTAssertThrowsError(try explainer.featureMaps(x, layer: "classifier"))
    }
}
