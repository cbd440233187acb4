import XCTest
import Fovea
import FoveaInterpret
import FoveaTestSupport

/// Maps equal pytorch-grad-cam's and Captum's on a fixed model, weights and input
/// (tools/references/make_interpret_fixtures.py).
final class ReferenceTests: XCTestCase {
    var fixture: Fixture!
    var explainer: Explainer!
    var input: Tensor { fixture["input"] }
    let targets = [1, 3]

    override func setUpWithError() throws {
        fixture = try Fixture("interpret/tiny_cnn")
        explainer = try Explainer(TinyCNN.reference())
    }

    func testLogits() throws {
        assertClose(try explainer.logits(input), fixture["logits"], rtol: 1e-4, atol: 1e-6)
    }

    /// pytorch-grad-cam returns each map min–max scaled and bilinearly resized to the input.
    func cams(_ variant: ClassActivationMap.Variant) throws -> Tensor {
        let a = try ClassActivationMap(variant, layer: .named("features.4")).attribute(input, targets: targets, explainer: explainer)
        XCTAssertEqual(a.layer, "features.4")
        return stackMaps((0..<2).map { a.heatmap($0, height: 16, width: 16) })
    }

    func testGradCAM() throws { assertClose(try cams(.gradCAM), fixture["gradcam"], rtol: 0, atol: 1e-5) }
    func testGradCAMPlusPlus() throws { assertClose(try cams(.gradCAMPlusPlus), fixture["gradcampp"], rtol: 0, atol: 1e-5) }
    func testHiResCAM() throws { assertClose(try cams(.hiResCAM), fixture["hirescam"], rtol: 0, atol: 1e-5) }

    func testScoreCAM() throws {
        // Batches of 5 over the layer's channels: the split must not change the scores.
        let a = try ScoreCAM(layer: .named("features.4"), batchSize: 5).attribute(input, targets: targets, explainer: explainer)
        XCTAssertEqual(a.layer, "features.4")
        assertClose(stackMaps((0..<2).map { a.heatmap($0, height: 16, width: 16) }), fixture["scorecam"], rtol: 0, atol: 1e-5)
    }

    func testSaliency() throws {
        let a = try Saliency().attribute(input, targets: targets, explainer: explainer)
        assertClose(a.values, fixture["saliency"], rtol: 1e-4, atol: 1e-7)
    }

    func testIntegratedGradientsGaussLegendre() throws {
        let a = try IntegratedGradients(steps: 16, rule: .gaussLegendre, batchSize: 10).attribute(input, targets: targets, explainer: explainer)
        assertClose(a.values, fixture["ig"], rtol: 1e-3, atol: 1e-6)
        assertClose(a.completenessGap!, fixture["ig_delta"].storage, rtol: 1e-2, atol: 2e-5)
    }

    func testIntegratedGradientsTrapezoid() throws {
        let a = try IntegratedGradients(steps: 8, rule: .riemannTrapezoid).attribute(input, targets: targets, explainer: explainer)
        assertClose(a.values, fixture["ig_trapezoid"], rtol: 1e-3, atol: 1e-6)
    }

    func testOcclusion() throws {
        let a = try Occlusion(window: 5, stride: 3, batchSize: 7).attribute(input, targets: targets, explainer: explainer)
        assertClose(a.values, fixture["occlusion"], rtol: 1e-3, atol: 1e-6)
    }

    func testGuidedBackprop() throws {
        let a = try GuidedBackprop().attribute(input, targets: targets, explainer: explainer)
        assertClose(a.values, fixture["guided"], rtol: 1e-4, atol: 1e-7)
    }
}

func stackMaps(_ maps: [Tensor]) -> Tensor {
    Tensor(shape: [maps.count] + maps[0].shape, storage: maps.flatMap(\.storage))
}
