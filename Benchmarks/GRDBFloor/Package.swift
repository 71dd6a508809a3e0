// swift-tools-version:6.1
import PackageDescription

// The least a program that writes through GRDB can take: Benchmarks/run.py times it beside one
// `luban attend` and one `sqlite3` INSERT. Not part of luban.
let package = Package(
    name: "GRDBFloor",
    dependencies: [.package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0")],
    targets: [
        .executableTarget(
            name: "grdb-floor",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        )
    ]
)
