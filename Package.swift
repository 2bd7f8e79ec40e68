// swift-tools-version:6.0
// bitnet-doctor: why is BitNet b1.58 inference slow here, and what to do about it.
// Module map (see docs/architecture.md):
//   CKernels      C hot loops (ternary/int8/f16 dots, activation quantization), AVX2/NEON + portable paths
//   CSystem       C shims over libpci, libsensors, cpuid, sched_getaffinity, dlopen(libcuda)
//   GGUF          GGUF container: mmap reader, writer, tensor type traits, reference codecs
//   ModelInspector  what a GGUF model is: shapes, formats, bytes per token, compatibility; synthetic models
//   SystemFacts   one collector per fact family, rooted at a configurable root
//   Tokenizers    BPE (gpt2) and SentencePiece tokenizers from GGUF vocabularies
//   Engine        the bundled CPU inference engine and its receipt
//   Doctor        rules, findings, other engines' receipts, outputs (text/json/md/sarif/junit), gate, report, bundle
//   bitnet-doctor the command-line tool
//   GitCommitPlugin  build-tool plugin (Plugins/): the git commit of the build, for receipts and reports
import PackageDescription

let package = Package(
    name: "bitnet-doctor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bitnet-doctor", targets: ["bitnet-doctor"]),
        .library(name: "GGUF", targets: ["GGUF"]),
        .library(name: "ModelInspector", targets: ["ModelInspector"]),
        .library(name: "SystemFacts", targets: ["SystemFacts"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Doctor", targets: ["Doctor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        .target(
            name: "CKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]
        ),
        .target(
            name: "CSystem",
            linkerSettings: [.linkedLibrary("pci"), .linkedLibrary("sensors"), .linkedLibrary("dl")]
        ),
        .target(name: "GGUF"),
        .target(name: "ModelInspector", dependencies: ["GGUF"]),
        .target(name: "SystemFacts", dependencies: ["CSystem"]),
        .target(name: "Tokenizers"),
        .target(name: "Engine", dependencies: ["GGUF", "ModelInspector", "Tokenizers", "CKernels"],
                // The reference kernels are Swift until CKernels covers them: optimise them even in debug builds.
                swiftSettings: [.unsafeFlags(["-O"])],
                // ToolIdentity.buildCommit: the git commit of this build, or "unknown" (Plugins/GitCommitPlugin).
                plugins: ["GitCommitPlugin"]),
        .plugin(name: "GitCommitPlugin", capability: .buildTool()),
        .target(name: "Doctor", dependencies: [
            "SystemFacts", "ModelInspector", "Engine",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "bitnet-doctor", dependencies: [
            "CKernels", "GGUF", "ModelInspector", "SystemFacts", "Tokenizers", "Engine", "Doctor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fuzz harness over the GGUF reader (docs/formats.md, scripts/fuzz-gguf.sh); replays a corpus when built normally.
        .executableTarget(name: "GGUFFuzz", dependencies: ["GGUF", "ModelInspector"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GGUFTests", dependencies: ["TestSupport", "GGUF"]),
        .testTarget(name: "ModelInspectorTests", dependencies: ["TestSupport", "ModelInspector", "GGUF"]),
        .testTarget(name: "SystemFactsTests", dependencies: ["TestSupport", "SystemFacts"]),
        .testTarget(name: "TokenizersTests", dependencies: ["TestSupport", "Tokenizers", "GGUF"],
                    resources: [.copy("Resources")]),
        .testTarget(name: "KernelsTests", dependencies: ["TestSupport", "CKernels"]),
        .testTarget(name: "EngineTests", dependencies: ["TestSupport", "Engine", "GGUF", "ModelInspector"]),
        .testTarget(name: "DoctorTests", dependencies: ["TestSupport", "Doctor", "SystemFacts", "ModelInspector", "Engine"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "bitnet-doctor"]),
    ]
)
