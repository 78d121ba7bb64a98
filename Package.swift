// swift-tools-version:6.1
import PackageDescription

// Data flows one way: pixels -> tensors -> tokens -> text -> screen / database.
// Lower layers never import higher ones (see ../shared/DESIGN.md).
let package = Package(
    name: "facecap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "facecap", targets: ["facecap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),

        .target(name: "Tensor", dependencies: ["CBLAS"]),
        // Byte-level BPE shared by the GPT-2 (Captioning) and CLIP (Recognition) tokenizers.
        .target(name: "BPE"),
        .target(name: "Captioning", dependencies: ["Tensor", "Faces", "BPE"]),
        // libpng longjmps on errors; this C shim keeps that off Swift frames.
        .target(name: "CPNGDecode", dependencies: ["CPNG"]),
        .target(name: "Faces", dependencies: ["CPNGDecode", "Tensor"]),
        // DFER-CLIP: CLIP image/text encoders, temporal transformer, prompt learner, clips of frames.
        .target(name: "Recognition", dependencies: ["Tensor", "Faces", "BPE"]),
        .target(name: "Study", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CaptionStore", dependencies: [
            "Captioning", "Faces", "Tensor", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Explorer", dependencies: [
            "CNcurses", "Captioning", "Faces", "Study", "Tensor",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "facecap", dependencies: [
            "Tensor", "Captioning", "Faces", "Study", "Explorer", "CaptionStore", "Recognition",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test helper: one rater per process, so StudyTests can run raters concurrently and kill one.
        .executableTarget(name: "study-stress", dependencies: ["Study"]),

        // Test-only: the explorer on procedurally drawn faces and fake captioners (ExplorerTests' tmux test).
        .executableTarget(name: "explorer-demo", dependencies: ["Explorer", "Captioning", "Faces"]),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        // Counts malloc calls inside the test executable (decode-loop allocation test).
        .target(name: "CAllocationCounter", path: "Tests/Support/CAllocationCounter"),
        .testTarget(name: "CaptioningTests", dependencies: ["Captioning", "BPE", "Faces", "Tensor", "CAllocationCounter"]),
        .testTarget(name: "FacesTests", dependencies: ["Faces"]),
        .testTarget(name: "RecognitionTests", dependencies: ["Recognition", "Faces", "Tensor", "CBLAS", "CAllocationCounter"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "study-stress"]),
        .testTarget(name: "CaptionStoreTests", dependencies: ["CaptionStore", "Captioning", "Faces"]),
        // Drives programs in a private tmux server for the end-to-end terminal tests.
        .target(name: "TerminalTesting", path: "Tests/Support/TerminalTesting"),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "explorer-demo", "TerminalTesting"]),
        // Runs the built `facecap` as a user would (exit codes, one-line errors, output contract).
        .testTarget(name: "CLITests", dependencies: ["TerminalTesting"]),
    ],
    swiftLanguageModes: [.v5]
)
