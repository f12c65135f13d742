// swift-tools-version:5.9
// moq smoke client for the published SwiftPM package moq-swift (product Moq, over the MoqFFI
// XCFramework), macOS only. The harness builds it in a scratch copy with no
// Package.resolved, so `from:` resolves the newest release below the next major; it then checks
// the repository's tags for a newer major that this range would miss.
import PackageDescription

let package = Package(
    name: "moq-smoke",
    platforms: [.macOS("12.3")],
    dependencies: [
        .package(url: "https://github.com/moq-dev/moq-swift", from: "0.4.4"),
    ],
    targets: [
        .executableTarget(name: "moq-smoke", dependencies: [.product(name: "Moq", package: "moq-swift")]),
    ]
)
