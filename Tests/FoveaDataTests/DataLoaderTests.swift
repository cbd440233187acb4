import FoveaData
import FoveaTensor
import XCTest

final class DataLoaderTests: XCTestCase {
    /// `count` images of (channels, 6, 5) whose bytes are all different within an image, labelled `i % 10`.
    private func dataset(count: Int = 23, channels: Int = 1, height: Int = 6, width: Int = 5) throws -> ImageDataset {
        let size = channels * height * width
        let pixels = (0..<count * size).map { UInt8(truncatingIfNeeded: ($0 % size) * 7 + $0 / size + 1) }
        return try ImageDataset(pixels: pixels, channels: channels, height: height, width: width,
                                labels: (0..<count).map { $0 % 10 }, classNames: (0..<10).map(String.init))
    }

    private let everything = Augmentation(cropPadding: 2, horizontalFlipProbability: 0.5,
                                          erasing: RandomErasing(probability: 0.5, fill: .random))

    private func epoch(_ loader: DataLoader, _ e: Int) -> [Batch] { Array(loader.batches(epoch: e)) }

    func testSameSeedSameBatchesAndSeedsOrEpochsDiffer() throws {
        let data = try dataset()
        let a = try DataLoader(dataset: data, batchSize: 4, augmentation: everything, seed: 7)
        let b = try DataLoader(dataset: data, batchSize: 4, augmentation: everything, seed: 7)
        let c = try DataLoader(dataset: data, batchSize: 4, augmentation: everything, seed: 8)
        XCTAssertEqual(epoch(a, 0), epoch(b, 0))
        XCTAssertEqual(epoch(a, 3), epoch(b, 3))
        XCTAssertNotEqual(a.order(epoch: 0), c.order(epoch: 0))
        XCTAssertNotEqual(a.order(epoch: 0), a.order(epoch: 1))
        XCTAssertNotEqual(a.order(epoch: 0), Array(0..<23))
    }

    func testEverySampleOncePerEpochAndDropLast() throws {
        let data = try dataset()
        let keep = try DataLoader(dataset: data, batchSize: 5, seed: 1)
        XCTAssertEqual(keep.batchCount, 5)
        let batches = epoch(keep, 2)
        XCTAssertEqual(batches.map(\.labels.count), [5, 5, 5, 5, 3])
        XCTAssertEqual(batches.flatMap(\.indices).sorted(), Array(0..<23))
        XCTAssertEqual(batches.flatMap(\.labels), batches.flatMap(\.indices).map { $0 % 10 })
        XCTAssertEqual(batches[4].images.shape, [3, 1, 6, 5])

        let drop = try DataLoader(dataset: data, batchSize: 5, dropLast: true, seed: 1)
        XCTAssertEqual(drop.batchCount, 4)
        let kept = epoch(drop, 2).flatMap(\.indices)
        XCTAssertEqual(kept.count, 20)
        XCTAssertEqual(Set(kept).count, 20)
        XCTAssertEqual(try epoch(DataLoader(dataset: data, batchSize: 5, shuffle: false), 0).flatMap(\.indices), Array(0..<23))
    }

    func testScalingAndPerChannelNormalisation() throws {
        let data = try dataset(count: 2, channels: 2)
        let norm = try Normalization(mean: [0.5, 0.25], std: [0.25, 2])
        let loader = try DataLoader(dataset: data, batchSize: 2, shuffle: false, normalization: norm)
        let batch = loader.batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.images.shape, [2, 2, 6, 5])
        for n in 0..<2 {
            for c in 0..<2 {
                for y in 0..<6 {
                    for x in 0..<5 {
                        let byte = data.pixels[((n * 2 + c) * 6 + y) * 5 + x]
                        let expected = (Float(byte) / 255 - norm.mean[c]) / norm.std[c]
                        XCTAssertEqual(batch.images[n, c, y, x], expected, accuracy: 1e-6)
                    }
                }
            }
        }
        let plain = try DataLoader(dataset: data, batchSize: 2, shuffle: false).batch(epoch: 0, index: 0)
        XCTAssertEqual(plain.images.storage, data.pixels.map { Float($0) / 255 })
        XCTAssertThrowsError(try DataLoader(dataset: data, batchSize: 2, normalization: .fashionMNIST))  // 1 channel vs 2
        XCTAssertThrowsError(try Normalization(mean: [0.5], std: [0]))
    }

    func testComputedNormalisationMatchesDefinition() throws {
        let data = try ImageDataset(pixels: [0, 255, 0, 255, 51, 51, 51, 51], channels: 2, height: 1, width: 2,
                                    labels: [0, 0], classNames: ["a"])
        let stats = try Normalization.computed(from: data)
        // Channel 0 sees {0, 255, 51, 51}/255, channel 1 sees {0, 255, 51, 51}/255 too.
        let values: [Double] = [0, 1, 0.2, 0.2]
        let mean = values.reduce(0, +) / 4
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        XCTAssertEqual(Double(stats.mean[0]), mean, accuracy: 1e-6)
        XCTAssertEqual(Double(stats.std[1]), std, accuracy: 1e-6)
    }

    func testHorizontalFlipMirrorsRows() throws {
        let data = try dataset(count: 3)
        let loader = try DataLoader(dataset: data, batchSize: 3, shuffle: false,
                                    augmentation: Augmentation(horizontalFlipProbability: 1))
        let batch = loader.batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.images.shape, [3, 1, 6, 5])
        for n in 0..<3 {
            let source = data.image(at: n)
            for y in 0..<6 { for x in 0..<5 { XCTAssertEqual(batch.images[n, 0, y, x], source[0, y, 4 - x]) } }
        }
    }

    func testRandomCropIsAZeroPaddedShift() throws {
        let data = try dataset(count: 16, channels: 3)
        let padding = 2
        let loader = try DataLoader(dataset: data, batchSize: 16, augmentation: Augmentation(cropPadding: padding), seed: 3)
        let batch = loader.batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.images.shape, [16, 3, 6, 5])
        var shifts = Set<[Int]>()
        for (k, source) in batch.indices.enumerated() {
            let image = data.image(at: source)
            // Find the one (dy, dx) that explains the output: out(y, x) = in(y + dy, x + dx), or 0 outside.
            let matches = (-padding...padding).flatMap { dy in (-padding...padding).map { [dy, $0] } }.filter { shift in
                (0..<3).allSatisfy { c in (0..<6).allSatisfy { y in (0..<5).allSatisfy { x in
                    let sy = y + shift[0], sx = x + shift[1]
                    let expected: Float = (0..<6).contains(sy) && (0..<5).contains(sx) ? image[c, sy, sx] : 0
                    return batch.images[k, c, y, x] == expected
                } } }
            }
            XCTAssertEqual(matches.count, 1, "sample \(k): \(matches)")
            shifts.formUnion(matches)
        }
        XCTAssertGreaterThan(shifts.count, 3, "offsets should vary across samples")
    }

    func testRandomErasingWritesOneRectangle() throws {
        let data = try dataset(count: 40, height: 12, width: 10)
        let erasing = RandomErasing(probability: 1, fill: .constant(-7))
        let loader = try DataLoader(dataset: data, batchSize: 40, augmentation: Augmentation(erasing: erasing), seed: 5)
        let batch = loader.batch(epoch: 0, index: 0)
        var erasedSamples = 0
        for k in 0..<40 {
            let cells = (0..<12).flatMap { y in (0..<10).map { (y, $0) } }.filter { batch.images[k, 0, $0.0, $0.1] == -7 }
            guard !cells.isEmpty else { continue }  // all 10 tries may miss; torchvision then leaves the image
            erasedSamples += 1
            let ys = cells.map(\.0), xs = cells.map(\.1)
            let h = ys.max()! - ys.min()! + 1, w = xs.max()! - xs.min()! + 1
            XCTAssertEqual(cells.count, h * w, "erased cells form a rectangle")
            XCTAssertLessThan(h, 12); XCTAssertLessThan(w, 10)
            let fraction = Float(h * w) / 120
            XCTAssertGreaterThanOrEqual(fraction, 0.01); XCTAssertLessThanOrEqual(fraction, 0.4)  // scale 0.02…0.33 after rounding
            let source = data.image(at: batch.indices[k])
            for y in 0..<12 { for x in 0..<10 where batch.images[k, 0, y, x] != -7 { XCTAssertEqual(batch.images[k, 0, y, x], source[0, y, x]) } }
        }
        XCTAssertGreaterThan(erasedSamples, 30)
        let never = try DataLoader(dataset: data, batchSize: 40, shuffle: false, augmentation: Augmentation(erasing: RandomErasing(probability: 0)))
        XCTAssertEqual(never.batch(epoch: 0, index: 0).images.storage, data.pixels.map { Float($0) / 255 })
        XCTAssertThrowsError(try DataLoader(dataset: data, batchSize: 4, augmentation: Augmentation(erasing: RandomErasing(probability: 2))))
    }

    func testBackgroundPrefetchGivesTheSynchronousBatches() throws {
        let data = try dataset(count: 101, channels: 3)
        for depth in [1, 3] {
            let background = try DataLoader(dataset: data, batchSize: 8, augmentation: everything, seed: 11, prefetch: depth)
            let inline = try DataLoader(dataset: data, batchSize: 8, augmentation: everything, seed: 11, prefetch: 0)
            for e in 0..<2 {
                let expected = (0..<inline.batchCount).map { inline.batch(epoch: e, index: $0) }
                XCTAssertEqual(epoch(background, e), expected)
                XCTAssertEqual(epoch(inline, e), expected)
            }
        }
        XCTAssertEqual(BatchIterator.liveProducerThreads, 0)
    }

    func testDroppingAnIteratorEarlyStopsItsThread() throws {
        let data = try dataset(count: 200)
        let loader = try DataLoader(dataset: data, batchSize: 2, augmentation: everything, prefetch: 2)
        for _ in 0..<20 {
            for batch in loader.batches(epoch: 0) {
                XCTAssertEqual(batch.labels.count, 2)
                break
            }
        }
        XCTAssertEqual(BatchIterator.liveProducerThreads, 0)
        let iterator = loader.batches(epoch: 1)
        _ = iterator.next()
        XCTAssertEqual(BatchIterator.liveProducerThreads, 1, "the producer is blocked on a full queue, not finished")
        iterator.stop()
        XCTAssertNil(iterator.next())
        XCTAssertEqual(BatchIterator.liveProducerThreads, 0)
    }

    func testResumeFromPositionContinuesExactly() throws {
        let data = try dataset()
        let loader = try DataLoader(dataset: data, batchSize: 3, augmentation: everything, seed: 99)
        let full = epoch(loader, 4)
        let first = loader.batches(epoch: 4)
        let head = [first.next()!, first.next()!, first.next()!]
        let saved = first.position
        XCTAssertEqual(saved, DataLoaderPosition(seed: 99, epoch: 4, batch: 3))
        let encoded = try JSONEncoder().encode(saved)
        let restored = try JSONDecoder().decode(DataLoaderPosition.self, from: encoded)
        let rest = try Array(loader.batches(resumingFrom: restored))
        XCTAssertEqual(head + rest, full)
        let finished = loader.batches(epoch: 4)
        while finished.next() != nil {}
        XCTAssertEqual(finished.position, DataLoaderPosition(seed: 99, epoch: 5, batch: 0))
        XCTAssertThrowsError(try loader.batches(resumingFrom: DataLoaderPosition(seed: 1, epoch: 0, batch: 0)))
    }
}
