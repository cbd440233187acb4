// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for Fovea's file parsers, one executable per parser.
// Kept out of the root package because it needs unsafe flags (a package with unsafe flags cannot be
// a dependency) and sanitizer builds. Build and run with tools/fuzz/run.sh; see docs/fuzzing.md.
//
// Each harness defines `LLVMFuzzerTestOneInput` and no `main`: libFuzzer's `main` comes from
// `-sanitize=fuzzer`, which the build passes (`swift build --sanitize=fuzzer --sanitize=address`).
let harnessFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "FoveaFuzz",
    dependencies: [
        // The root package, named so that products resolve whatever its folder is called.
        .package(name: "Fovea", path: ".."),
    ],
    targets: [
        /// What every harness shares: the input as `Data`, `attempt`, and framing rewrites.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", .product(name: "Fovea", package: "Fovea")],
                          swiftSettings: harnessFlags),
        .executableTarget(name: "FuzzIDX", dependencies: ["FuzzSupport", .product(name: "Fovea", package: "Fovea")],
                          swiftSettings: harnessFlags),
        .executableTarget(name: "FuzzCIFAR", dependencies: ["FuzzSupport", .product(name: "Fovea", package: "Fovea")],
                          swiftSettings: harnessFlags),
        .executableTarget(name: "FuzzPNG", dependencies: ["FuzzSupport", .product(name: "FoveaImage", package: "Fovea")],
                          swiftSettings: harnessFlags),
        .executableTarget(name: "FuzzJPEG", dependencies: ["FuzzSupport", .product(name: "FoveaImage", package: "Fovea")],
                          swiftSettings: harnessFlags),
        .executableTarget(name: "FuzzRunJSON", dependencies: ["FuzzSupport", .product(name: "Fovea", package: "Fovea")],
                          swiftSettings: harnessFlags),
    ]
)
