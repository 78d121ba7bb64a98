import CaptionStore
import Explorer
import Faces
import Foundation

// explorer-demo: the explorer on generated faces with four fake captioners. Test-only; the tmux
// end-to-end test in ExplorerTests drives it. Options:
//   --faces N  --theme NAME  --themes DIR  --autoplay SECONDS  --encode-ms N  --token-ms N
//   --workers N  --broken MODEL (that model "fails to load")
var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("explorer-demo: bad argument \(flag)\n".utf8))
        exit(2)
    }
    options[String(flag.dropFirst(2))] = value
}
func number(_ key: String, _ fallback: Int) -> Int { options[key].flatMap(Int.init) ?? fallback }

// The end-to-end test signals the demo by pid (SIGTERM, SIGHUP) to check the terminal is restored.
if let pidFile = ProcessInfo.processInfo.environment["FACECAP_DEMO_PID_FILE"] {
    try? "\(getpid())".write(toFile: pidFile, atomically: true, encoding: .utf8)
}

let count = number("faces", 16)
let items = DemoFaces.items(count: count)
let images = (0..<count).map { DemoFaces.draw(index: $0) }
let faces = (0..<count).map { (images[$0], DemoFaces.spec(ofIndex: $0).emotion) }
let names = ["BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP"]
let models: [ExplorerModel] = names.map { name in
    if options["broken"] == name { return .failed(name: name, error: "weights not found: Models/\(name)/model.safetensors") }
    return .loaded(FakeCaptioner(name: name, faces: faces, beams: name == "Exp-BLIP" ? 5 : 1,
                                 encodeMs: number("encode-ms", 150), tokenMs: number("token-ms", 25)))
}
let dataset = ExplorerDataset(name: "demo-faces", items: items) { item in
    guard let i = items.firstIndex(of: item) else { throw CocoaError(.fileNoSuchFile) }
    return images[i]
}

do {
    let themesDir = options["themes"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes")
    var config = try ExplorerConfig(themesDirectory: themesDir, themeName: options["theme"])
    config.autoplaySeconds = options["autoplay"].flatMap(Double.init)
    config.workerCount = number("workers", 4)
    config.stderrLogPath = options["stderr-log"]
    // A cache for this run only, in a temporary file: revisits are instant, as with facecap's.
    let cacheFile = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-demo-\(getpid()).sqlite").path
    func removeCache() { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cacheFile + suffix) } }
    let services = ExplorerServices(captioning: CachedCaptioning(cache: try CaptionCache(path: cacheFile)) { _ in
        throw CocoaError(.fileReadUnknown)
    }, analyzer: { KeywordAnalyzer.analyze($0, $1) },
                                    actionUnitName: { KeywordAnalyzer.actionUnitNames[$0] })
    let exit = try ExplorerApp(config: config, dataset: dataset, models: models, services: services).run()
    removeCache()
    if case let .signal(s) = exit { Foundation.exit(128 + s) }
    print("explorer-demo: bye")
} catch {
    FileHandle.standardError.write(Data("explorer-demo: \(error)\n".utf8))
    exit(1)
}
