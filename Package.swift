// swift-tools-version:6.0
import PackageDescription

// Fovea: a convolutional-neural-network system in Swift.
// A one-way stack of targets: kernels → tensor → autograd → layers → models → train → reports → interpret → CLI,
// with data below train and images beside it. docs/design.md's "Layout of the code" table says what each
// target may import; Tests/FoveaStructureTests checks it.
let package = Package(
    name: "Fovea",
    products: [
        // MARK: - Public API
        .library(name: "Fovea", targets: ["Fovea"]),
        /// Images, colormaps and charts (kept out of the umbrella: `Image`, `Color`, `Font` are common names).
        .library(name: "FoveaImage", targets: ["FoveaImage"]),
        /// Run-folder pictures and reports, predictions on image files (needs the image libraries, so not in the umbrella).
        .library(name: "FoveaReports", targets: ["FoveaReports"]),
        /// Interpretability: attributions, their figures, faithfulness metrics, network views.
        .library(name: "FoveaInterpret", targets: ["FoveaInterpret"]),
        /// ONNX: export Fovea models, import ONNX graphs as trainable, explainable modules.
        .library(name: "FoveaONNX", targets: ["FoveaONNX"]),
        .executable(name: "fovea", targets: ["fovea"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // ONNX's protobuf schema; the Swift code is generated once by tools/onnx/generate-protobuf.sh and committed.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Plugin only (`swift package generate-documentation`); no target depends on it, so users link nothing of it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Implementation details
        /// Vector micro-kernels in C with per-function target attributes and runtime CPU dispatch
        /// (no unsafe flags, so Fovea stays usable as a package dependency). See docs/design.md.
        .target(name: "CFoveaKernels"),
        /// Numeric kernels on raw buffers (NCHW), each with a naive reference twin.
        .target(name: "FoveaKernels", dependencies: ["CFoveaKernels"]),
        /// Float32 tensors: shape, contiguous storage, seeded initialisation, shape errors.
        .target(name: "FoveaTensor"),
        /// Reverse-mode autograd over a tape, written by hand; every op's forward and backward side by side.
        .target(name: "FoveaAutograd", dependencies: ["FoveaTensor", "FoveaKernels"]),
        /// Thin layers with torchvision-compatible parameter names.
        .target(name: "FoveaLayers", dependencies: ["FoveaKernels", "FoveaTensor", "FoveaAutograd"]),
        /// The model zoo: architectures that read like their papers' tables.
        .target(name: "FoveaModels", dependencies: ["FoveaTensor", "FoveaLayers"]),
        /// Losses, optimizers, schedules, the trainer, checkpoints, training health and run folders (no image code).
        .target(name: "FoveaTrain", dependencies: ["FoveaTensor", "FoveaAutograd", "FoveaLayers", "FoveaModels", "FoveaData"]),
        /// zlib, from the system (pkg-config `zlib`), for reading gzip-compressed datasets.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// Dataset readers (IDX, CIFAR binary) and the batching pipeline: shuffling, normalisation, augmentation, prefetch.
        .target(name: "FoveaData", dependencies: ["FoveaTensor", "CZlib"]),
        /// libpng (simplified `png_image` API), libjpeg and FreeType from the system, for image files and chart text.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        /// JPEG coding and PNG decoding with setjmp/longjmp error recovery, which Swift cannot do itself.
        .target(name: "CFoveaImageShims", dependencies: ["CJPEG", "CPNG"]),
        /// Images in and out (PNG, JPEG), resizing, image-folder datasets, colormaps and charts (SVG + PNG).
        .target(name: "FoveaImage", dependencies: ["FoveaTensor", "FoveaData", "CPNG", "CFreeType", "CFoveaImageShims"]),
        /// Run-folder pictures and reports: training curves, confusion matrices, health plots, comparison
        /// reports; predictions on image files. The CLI plugs `RunCharts` into the trainer's run folder.
        .target(name: "FoveaReports", dependencies: ["FoveaTensor", "FoveaAutograd", "FoveaTrain", "FoveaImage"]),
        /// Interpretability: attribution methods (Grad-CAM, saliency, Integrated Gradients, …), their
        /// pictures, faithfulness metrics and views of filters and feature maps.
        .target(name: "FoveaInterpret", dependencies: [
            "FoveaTensor", "FoveaData", "FoveaLayers", "FoveaModels", "FoveaTrain", "FoveaImage", "FoveaReports",
        ]),
        /// The Swift types of ONNX's protobuf schema (`onnx.proto`), generated by tools/onnx/generate-protobuf.sh.
        .target(name: "FoveaONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        /// ONNX export of Fovea modules and import of ONNX graphs into modules that run forward and backward.
        .target(name: "FoveaONNX", dependencies: [
            "FoveaTensor", "FoveaAutograd", "FoveaLayers", "FoveaModels", "FoveaONNXProto",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        /// The umbrella module: `import Fovea` re-exports the stack.
        .target(name: "Fovea", dependencies: ["FoveaTensor", "FoveaAutograd", "FoveaLayers", "FoveaModels", "FoveaData", "FoveaTrain"]),
        /// The command-line tool: parses arguments and calls the library.
        .executableTarget(name: "fovea", dependencies: [
            "Fovea", "FoveaKernels", "FoveaImage", "FoveaReports", "FoveaInterpret", "FoveaONNX", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Unit test bundles
        /// Helpers shared by the test bundles: numeric assertions, gradient checks, fixtures, temporary folders, error assertions.
        .target(name: "FoveaTestSupport", dependencies: ["Fovea"], path: "Sources/FoveaTestSupport"),
        .testTarget(name: "FoveaKernelsTests", dependencies: ["FoveaTestSupport", "FoveaKernels", "FoveaTensor"]),
        .testTarget(name: "FoveaAutogradTests", dependencies: ["FoveaTestSupport", "Fovea", "FoveaKernels"]),
        .testTarget(name: "FoveaLayersTests", dependencies: ["FoveaTestSupport", "Fovea"]),
        .testTarget(name: "FoveaModelsTests", dependencies: ["FoveaTestSupport", "Fovea"]),
        .testTarget(name: "FoveaDataTests", dependencies: ["FoveaTestSupport", "FoveaData", "FoveaTensor", "CZlib"]),
        .testTarget(name: "FoveaTrainTests", dependencies: ["FoveaTestSupport", "Fovea"]),
        .testTarget(name: "FoveaImageTests", dependencies: ["FoveaTestSupport", "FoveaImage", "FoveaData", "FoveaTensor", "CPNG", "CZlib"]),
        .testTarget(name: "FoveaReportsTests", dependencies: ["FoveaTestSupport", "Fovea", "FoveaImage", "FoveaReports"]),
        .testTarget(name: "FoveaInterpretTests", dependencies: ["FoveaTestSupport", "Fovea", "FoveaImage", "FoveaInterpret"]),
        .testTarget(name: "FoveaONNXTests", dependencies: ["FoveaTestSupport", "Fovea", "FoveaONNX", "FoveaONNXProto"]),
        .testTarget(name: "FoveaCLITests", dependencies: ["FoveaTestSupport", "fovea"], exclude: ["train-help.txt"]),
        /// Every code listing of the DocC articles, compiled and run; checks the articles quote them verbatim.
        .testTarget(name: "FoveaDocumentationTests", dependencies: ["FoveaTestSupport", "Fovea", "FoveaKernels", "FoveaImage", "FoveaInterpret"]),
        /// Reads Package.swift, the sources' imports and docs/design.md; links nothing of Fovea.
        .testTarget(name: "FoveaStructureTests"),
    ]
)
