// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Luban",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LubanKit", targets: ["LubanKit"]),
        .executable(name: "luban", targets: ["luban"]),
        .executable(name: "luban-serve", targets: ["luban-serve"]),
        .executable(name: "luban-hq", targets: ["luban-hq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // `luban serve`. Without the default traits: no swift-configuration, Foundation Essentials only.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        // Hummingbird's own; its NIOEmbedded gives the router tests a channel to ask from.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // Cairo, Pango, libqrencode and libxlsxwriter from Debian (Scripts/install-system-packages.sh
        // installs them), loaded on first use: see CGraphics.h and CWorkbook.h.
        .target(name: "CGraphics", linkerSettings: [.linkedLibrary("dl")]),
        // OpenSSL's libcrypto from Debian (libssl-dev): SHA-256, HMAC, Ed25519, X25519 and
        // ChaCha20-Poly1305, wrapped in LubanCrypto. The system's own library, optimised whatever
        // luban is built as, and nothing to compile (swift-crypto's copy of BoringSSL was a
        // third of a fresh debug build).
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "LubanCrypto", dependencies: ["COpenSSL"]),
        .target(
            name: "LubanKit",
            dependencies: [
                "CGraphics",
                "LubanCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // The built-in demo and the federation-scale data generator: programs that use the
        // library as a user's commands do, kept out of it.
        .target(
            name: "LubanDemo",
            dependencies: ["LubanKit", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The web interface (`luban serve`): roll call on a phone, the office's pages, /verify.
        .target(
            name: "LubanServer",
            dependencies: [
                "LubanKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The server's own program, which `luban serve` runs in its place (exec): the HTTP stack
        // stays out of the `luban` binary, whose every command would otherwise pay for loading it.
        .executableTarget(name: "luban-serve", dependencies: ["LubanServer", "LubanKit"]),
        // The union's headquarters (`luban hq`, run as `luban serve` runs `luban-serve`): PostgreSQL's
        // own client library, libpq, from Debian (libpq-dev), in its own program, so that nothing
        // else pays for it.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "LubanHQ", dependencies: ["LubanKit", "LubanCrypto", "CLibPQ"]),
        .executableTarget(
            name: "luban-hq",
            dependencies: [
                "LubanHQ", "LubanKit", "LubanServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "luban",
            dependencies: [
                "LubanKit",
                "LubanDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the tests share: the run's folder for the files they make.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "LubanKitTests",
            dependencies: ["LubanKit", "LubanCrypto", "LubanDemo", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LubanServerTests",
            dependencies: [
                "LubanServer", "LubanKit", "LubanDemo", "TestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "lubanTests",
            dependencies: ["luban", "luban-serve", "luban-hq", "LubanKit", "LubanDemo", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
