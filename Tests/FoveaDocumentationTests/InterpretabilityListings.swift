import Foundation
import XCTest
import Fovea
import FoveaImage
import FoveaInterpret

/// The listings of `FoveaInterpret.docc/Interpretability.md`, on an untrained LeNet-5.
final class InterpretabilityListings: XCTestCase {
    func testAttributions() throws {
        try enterListingFolder(images: 1)

        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        let images = Tensor.normal([2, 1, 28, 28], using: &rng)   // normalised like the training data
        let explainer = Explainer(model)

        let gradCAM = try ClassActivationMap(.gradCAM).attribute(images, targets: nil, explainer: explainer)
        print(gradCAM.layer!, gradCAM.targets)          // the last spatial layer, the predicted classes
        let heatmap = gradCAM.heatmap(0, height: 28, width: 28)
        try Colormap.turbo.image(of: heatmap).writePNG(to: "gradcam.png")

        let ig = try IntegratedGradients(steps: 32).attribute(images, targets: [3, 3], explainer: explainer)
        print(ig.completenessGap!)                      // how far the attributions' sum is from the score difference

        XCTAssertEqual(gradCAM.layer, "features.5")
        XCTAssertEqual(gradCAM.count, 2)
        XCTAssertEqual(heatmap.shape, [28, 28])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "gradcam.png"))
        XCTAssertEqual(ig.targets, [3, 3])
        XCTAssertEqual(ig.completenessGap?.count, 2)
    }

    func testFaithfulnessAndViews() throws {
        try enterListingFolder(images: 1)
        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        let images = Tensor.normal([2, 1, 28, 28], using: &rng)
        let explainer = Explainer(model)

        let normalization = Normalization.fashionMNIST
        let black = [(0 - normalization.mean[0]) / normalization.std[0]]
        let scores = try Faithfulness(steps: 14).evaluate(Saliency(), input: images, black: black, explainer: explainer)
        print(scores.deletion, scores.insertion)        // per image: lower deletion, higher insertion is better

        try explainer.firstLayerFilters().writeSVG(to: "filters.svg")
        try explainer.featureMaps(images.slice(0..<1), layer: "features.3").writeSVG(to: "features.svg")

        XCTAssertEqual(scores.deletion.count, 2)
        XCTAssertEqual(scores.insertion.count, 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "filters.svg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "features.svg"))
    }
}
