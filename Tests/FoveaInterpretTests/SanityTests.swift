import XCTest
import Fovea
import FoveaInterpret
import FoveaTestSupport

/// Checks that can fail when an explanation is wrong, each with a negative control.
final class SanityTests: XCTestCase {
    /// Completeness (Sundararajan et al. 2017, Proposition 1): Σ IG = f(x) − f(x') up to the quadrature.
    func testIntegratedGradientsCompleteness() throws {
        let fixture = try Fixture("interpret/tiny_cnn")
        let explainer = try Explainer(TinyCNN.reference())
        let x = fixture["input"]
        let fine = try IntegratedGradients(steps: 256, batchSize: 128).attribute(x, targets: [1, 3], explainer: explainer)
        let logits = try explainer.logits(x), zero = try explainer.logits(Tensor(shape: x.shape))
        for (n, k) in [1, 3].enumerated() {
            let delta = logits.storage[n * 5 + k] - zero.storage[n * 5 + k]
            let total = fine.values.storage[(n * 768)..<((n + 1) * 768)].reduce(0, +)
            XCTAssertEqual(fine.completenessGap![n], total - delta, accuracy: 1e-5)
            XCTAssertLessThan(abs(fine.completenessGap![n]), 0.01 * abs(delta) + 1e-5, "image \(n): Σ \(total) vs Δ \(delta)")
        }
        // Negative control: a 2-point left Riemann sum is far from complete.
        let coarse = try IntegratedGradients(steps: 2, rule: .riemannLeft).attribute(x, targets: [1, 3], explainer: explainer)
        XCTAssertTrue(coarse.completenessGap!.contains { abs($0) > 0.05 * abs(logits.storage[0] - zero.storage[0]) })
    }

    /// On synthetic images whose class is decided by one region, Grad-CAM's peak lies in it.
    func testGradCAMPeaksInTheDecisiveRegion() throws {
        let (model, test, labels) = try Synthetic.trainedModel()
        let explainer = Explainer(model)
        let predicted = try explainer.logits(test)
        let accuracy = labels.indices.filter { (predicted.storage[$0 * 2 + 1] > predicted.storage[$0 * 2]) == (labels[$0] == 1) }.count
        XCTAssertGreaterThanOrEqual(accuracy, 60, "the synthetic model must learn its task first (\(accuracy)/64)")
        let positives = labels.indices.filter { labels[$0] == 1 }
        let batch = Tensor(shape: [positives.count, 1, 16, 16], storage: positives.flatMap { test.storage[($0 * 256)..<(($0 + 1) * 256)] })
        let a = try ClassActivationMap(.gradCAM, layer: .automatic).attribute(batch, targets: [1], explainer: explainer)
        XCTAssertEqual(a.layer, "features.4")
        var inside = 0
        for i in 0..<positives.count {
            let map = a.heatmap(i, height: 16, width: 16)
            let peak = map.storage.indices.max { map.storage[$0] < map.storage[$1] }!
            if Synthetic.region(peak / 16, peak % 16, margin: 2) { inside += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(inside) / Double(positives.count), 0.9, "\(inside) of \(positives.count) peaks in the region")
        // Negative control: explaining the other class does not peak there as reliably.
        let other = try ClassActivationMap(.gradCAM).attribute(batch, targets: [0], explainer: explainer)
        let otherInside = (0..<positives.count).filter { i in
            let map = other.heatmap(i, height: 16, width: 16)
            let peak = map.storage.indices.max { map.storage[$0] < map.storage[$1] }!
            return Synthetic.region(peak / 16, peak % 16, margin: 2)
        }.count
        XCTAssertLessThan(otherInside, inside)
    }

    /// Model-randomisation test (Adebayo et al. 2018, "Sanity Checks for Saliency Maps",
    /// arXiv:1810.03292): maps of the trained model and of the same network re-initialised must
    /// differ (Spearman rank correlation well below 1).
    func testMapsChangeWhenWeightsAreRandomised() throws {
        let (model, test, _) = try Synthetic.trainedModel()
        let x = Tensor(shape: [8, 1, 16, 16], storage: Array(test.storage[0..<(8 * 256)]))
        let random = try Synthetic.network(seed: 99)
        for method in [ClassActivationMap(.gradCAM) as AttributionMethod, Saliency(), IntegratedGradients(steps: 16)] {
            let trained = try method.attribute(x, targets: [1], explainer: Explainer(model))
            let again = try method.attribute(x, targets: [1], explainer: Explainer(model))
            let randomized = try method.attribute(x, targets: [1], explainer: Explainer(random))
            let same = (0..<8).map { spearman(trained.heatmap($0, height: 16, width: 16).storage, again.heatmap($0, height: 16, width: 16).storage) }
            let changed = (0..<8).map { spearman(trained.heatmap($0, height: 16, width: 16).storage, randomized.heatmap($0, height: 16, width: 16).storage) }
            // Negative control: the same weights give the same map.
            XCTAssertGreaterThan(same.reduce(0, +) / 8, 0.999, method.name)
            // Gradient × input methods stay partly tied to the input (Adebayo et al. §4), hence IG's looser bound.
            XCTAssertLessThan(changed.reduce(0, +) / 8, method.name == "ig" ? 0.8 : 0.5, "\(method.name): mean rank correlation \(changed.reduce(0, +) / 8)")
            print("randomisation \(method.name): mean Spearman trained vs random \(changed.reduce(0, +) / 8)")
        }
    }

    /// Methods leave nothing behind: no parameter gradients, the same mode, the same logits.
    func testNoStateIsLeftOnTheModel() throws {
        let fixture = try Fixture("interpret/tiny_cnn")
        let model = try TinyCNN.reference()
        model.train()
        let explainer = Explainer(model)
        let before = try GradMode.withoutGradients { try model(Variable(fixture["input"])).value }
        for kind in AttributionKind.catalog {
            var s = AttributionKind.Settings(); s.samples = 2; s.steps = 4
            _ = try kind.method(s).attribute(fixture["input"], targets: [0, 4], explainer: explainer)
            XCTAssertTrue(model.parameters.allSatisfy { $0.grad == nil }, name)
            XCTAssertTrue(model.isTraining, name)
        }
        XCTAssertFalse(GuidedBackpropagation.isActive)
        XCTAssertEqual(try GradMode.withoutGradients { try model(Variable(fixture["input"])).value }, before)
    }

    /// The guided ReLU rule applies only inside `GuidedBackpropagation.during`, read when recorded.
    func testGuidedReLUBackward() {
        let x = Variable(Tensor(shape: [4], storage: [-1, 2, 3, 0.5]), requiresGrad: true)
        let seed = Tensor(shape: [4], storage: [5, -1, 2, 3])
        relu(x).backward(seed: seed)
        XCTAssertEqual(x.grad!.storage, [0, -1, 2, 3])
        x.zeroGrad()
        let guided = GuidedBackpropagation.during { relu(x) }
        XCTAssertFalse(GuidedBackpropagation.isActive)
        guided.backward(seed: seed)
        XCTAssertEqual(x.grad!.storage, [0, 0, 2, 3])
    }
}

/// Spearman rank correlation: Pearson's on ranks, tied values sharing their mean rank (so the
/// many zeros of a ReLU'd map do not line up by index and inflate the correlation).
func spearman(_ a: [Float], _ b: [Float]) -> Double {
    func ranks(_ v: [Float]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && v[order[end + 1]] == v[order[start]] { end += 1 }
            for k in start...end { r[order[k]] = Double(start + end) / 2 }
            start = end + 1
        }
        return r
    }
    let ra = ranks(a), rb = ranks(b), n = Double(a.count)
    let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in ra.indices { sab += (ra[i] - ma) * (rb[i] - mb); saa += (ra[i] - ma) * (ra[i] - ma); sbb += (rb[i] - mb) * (rb[i] - mb) }
    return sab / max((saa * sbb).squareRoot(), 1e-12)
}
