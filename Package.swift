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
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),

        // Half-precision and 8-bit weight kernels, one function per instruction set, chosen at run time
        // (no -march: the binary must run on any x86-64). -O2 even in debug: intrinsics at -O0 are
        // slower than the generic path they replace.
        // libmvec: glibc's vector math (erff for GELU), part of libc6 on every x86-64 Linux.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux])), .linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "Tensor", dependencies: ["CBLAS", "CKernels"]),
        // Byte-level BPE shared by the GPT-2 (Captioning) and CLIP (Recognition) tokenizers.
        .target(name: "BPE"),
        .target(name: "Captioning", dependencies: ["Tensor", "Faces", "BPE"]),
        // libpng longjmps on errors; this C shim keeps that off Swift frames.
        .target(name: "CPNGDecode", dependencies: ["CPNG"]),
        // libjpeg's error_exit must not return; this C shim longjmps inside C, as CPNGDecode does.
        .target(name: "CJPEGDecode", dependencies: ["CJPEG"]),
        .target(name: "Faces", dependencies: ["CPNGDecode", "CJPEGDecode", "Tensor"]),
        // DFER-CLIP: CLIP image/text encoders, temporal transformer, prompt learner, clips of frames.
        .target(name: "Recognition", dependencies: ["Tensor", "Faces", "BPE"]),
        .target(name: "Study", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CaptionStore", dependencies: [
            "Captioning", "Faces", "Tensor", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The terminal layer both screens share: curses session, keys, canvas, face images, themes.
        .target(name: "TerminalUI", dependencies: [
            "CNcurses", "Faces", "Tensor", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The explorer and the rating screen share TerminalUI and nothing else.
        .target(name: "Explorer", dependencies: ["TerminalUI", "CaptionStore", "Captioning", "Faces", "Tensor"]),
        .target(name: "Rating", dependencies: ["TerminalUI", "Faces", "Study"]),
        .executableTarget(name: "facecap", dependencies: [
            "Tensor", "Captioning", "Faces", "Study", "Explorer", "Rating", "CaptionStore", "Recognition",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test helper: one rater per process, so StudyTests can run raters concurrently and kill one.
        .executableTarget(name: "study-stress", dependencies: ["Study"]),

        // Test-only: the explorer on procedurally drawn faces and fake captioners (ExplorerTests' tmux test).
        .executableTarget(name: "explorer-demo", dependencies: ["Explorer", "CaptionStore", "Captioning", "Faces"]),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        // Counts malloc calls inside the test executable (decode-loop allocation test).
        .target(name: "CAllocationCounter", path: "Tests/Support/CAllocationCounter"),
        .testTarget(name: "CaptioningTests", dependencies: ["Captioning", "BPE", "Faces", "Tensor", "CAllocationCounter"]),
        .testTarget(name: "FacesTests", dependencies: ["Faces"]),
        .testTarget(name: "RecognitionTests", dependencies: ["Recognition", "Faces", "Tensor", "CBLAS", "CAllocationCounter"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "study-stress"]),
        .testTarget(name: "CaptionStoreTests", dependencies: ["CaptionStore", "Captioning", "Faces"]),
        // Drives programs in a private tmux server for the end-to-end terminal tests; GridCanvas for painter tests.
        .target(name: "TerminalTesting", dependencies: ["TerminalUI"], path: "Tests/Support/TerminalTesting"),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "TerminalUI", "CaptionStore", "explorer-demo", "TerminalTesting"]),
        .testTarget(name: "RatingTests", dependencies: ["Rating", "TerminalUI", "Study", "TerminalTesting"]),
        // Runs the built `facecap` as a user would (exit codes, one-line errors, output contract).
        // Faces: the show and real-terminal tests decode what facecap drew and compare it to the face.
        .testTarget(name: "CLITests", dependencies: ["TerminalTesting", "Faces"]),
    ],
    swiftLanguageModes: [.v5]
)
