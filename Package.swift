// swift-tools-version:6.0
import PackageDescription

// Fovea: a convolutional-neural-network system in Swift.
// A one-way stack of targets: kernels → tensor → autograd → layers → train → CLI.
let package = Package(
    name: "Fovea",
    products: [
        // MARK: - Public API
        .library(name: "Fovea", targets: ["Fovea"]),
        /// Images, colormaps and charts (kept out of the umbrella: `Image`, `Color`, `Font` are common names).
        .library(name: "FoveaImage", targets: ["FoveaImage"]),
        .executable(name: "fovea", targets: ["fovea"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Implementation details
        /// Vector micro-kernels in C with per-function target attributes and runtime CPU dispatch
        /// (no unsafe flags, so Fovea stays usable as a package dependency). See docs/design.md.
        .target(name: "CFoveaKernels"),
        /// Numeric kernels on raw buffers (NCHW), each with a naive reference twin.
        .target(name: "FoveaKernels", dependencies: ["CFoveaKernels"]),
        /// Float32 tensors: shape, contiguous storage, seeded initialisation, shape errors.
        .target(name: "FoveaTensor", dependencies: ["FoveaKernels", "CFoveaKernels"]),
        /// Reverse-mode autograd over a tape, written by hand; every op's forward and backward side by side.
        .target(name: "FoveaAutograd", dependencies: ["FoveaTensor", "FoveaKernels"]),
        /// Thin layers with torchvision-compatible parameter names.
        .target(name: "FoveaLayers", dependencies: ["FoveaAutograd"]),
        /// The model zoo: architectures that read like their papers' tables.
        .target(name: "FoveaModels", dependencies: ["FoveaLayers"]),
        /// Losses, optimizers and learning-rate schedules.
        .target(name: "FoveaTrain", dependencies: ["FoveaModels", "FoveaData", "FoveaImage"]),
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
        .target(name: "FoveaImage", dependencies: ["FoveaTensor", "FoveaData", "CPNG", "CJPEG", "CFreeType", "CFoveaImageShims"]),
        /// Interpretability: attribution methods (Grad-CAM, saliency, Integrated Gradients, …), their
        /// pictures, faithfulness metrics and views of filters and feature maps.
        .target(name: "FoveaInterpret", dependencies: ["FoveaTrain", "FoveaImage"]),
        /// The umbrella module: `import Fovea` re-exports the stack.
        .target(name: "Fovea", dependencies: ["FoveaKernels", "FoveaTensor", "FoveaAutograd", "FoveaLayers", "FoveaModels", "FoveaData", "FoveaTrain"]),
        /// The command-line tool: parses arguments and calls the library.
        .executableTarget(name: "fovea", dependencies: [
            "Fovea", "FoveaImage", "FoveaInterpret", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Unit test bundles
        .target(name: "FoveaTestSupport", dependencies: ["Fovea"], path: "Sources/FoveaTestSupport"),
        .testTarget(name: "FoveaKernelsTests", dependencies: ["FoveaTestSupport"]),
        .testTarget(name: "FoveaAutogradTests", dependencies: ["FoveaTestSupport"]),
        .testTarget(name: "FoveaLayersTests", dependencies: ["FoveaTestSupport"]),
        .testTarget(name: "FoveaTrainTests", dependencies: ["FoveaTestSupport", "FoveaImage"]),
        .testTarget(name: "FoveaCLITests", dependencies: ["fovea"], exclude: ["train-help.txt"]),
        .testTarget(name: "FoveaModelsTests", dependencies: ["FoveaTestSupport"]),
        .testTarget(name: "FoveaDataTests", dependencies: ["FoveaData", "FoveaTensor", "CZlib"]),
        .testTarget(name: "FoveaInterpretTests", dependencies: ["FoveaInterpret", "FoveaTestSupport", "FoveaImage"]),
        .testTarget(name: "FoveaImageTests", dependencies: ["FoveaImage", "FoveaData", "FoveaTensor", "CPNG", "CZlib"]),
    ]
)
