import ArgumentParser
import CaptionStore
import Foundation

/// `facecap cache`: the caption cache's maintenance commands.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect or merge caption caches.",
        subcommands: [Import.self, Info.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge caches written by `caption --dataset --shard I/N` runs into this one (existing rows win).")
        @Option(help: "Cache to merge into (default: $XDG_CACHE_HOME/facecap/captions.sqlite).") var cache: String?
        @Argument(help: "Cache files to merge.") var files: [String]

        func validate() throws { if files.isEmpty { throw ValidationError("give at least one FILE") } }

        func run() throws {
            let target = try CaptionCache(path: cache ?? CaptionCache.defaultPath())
            for file in files {
                let counts = try target.import(from: URL(fileURLWithPath: file))
                print("\(file): \(counts.added) added, \(counts.skipped) already present")
            }
            print("\(target.path): \(try target.count) captions")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where the cache is and how many captions it holds.")
        @Option(help: "Cache file.") var cache: String?

        /// Only looks: a cache that does not exist yet is reported, not created.
        func run() throws {
            let path = cache ?? CaptionCache.defaultPath()
            guard FileManager.default.fileExists(atPath: path) else {
                print("\(path): no cache yet (0 captions)")
                return
            }
            let target = try CaptionCache(path: path)
            print("\(target.path): \(try target.count) captions")
        }
    }
}
