import Explorer
import Foundation
import Tensor
import TOMLKit

/// `~/.config/facecap/config.toml` (or `$XDG_CONFIG_HOME/facecap/config.toml`): settings a user keeps
/// between runs, so real checkpoints join the explorer without touching the code or retyping paths.
///
/// ```toml
/// models = ["/data/models/blip2-opt-2.7b", "/data/models/exp-blip"]  # extra model folders
/// models_dir = "/data/facecap/Models"   # instead of the bundled Models/
/// dataset = "/data/fer2013"             # opened when `facecap` gets no DATASET
/// theme = "light"
/// cache = "/data/facecap/captions.sqlite"
/// image_mode = "sixel"                  # auto, kitty, iterm, sixel, blocks, truecolor, 256, grey, ascii
/// ```
struct UserConfig {
    var models: [String] = []
    var modelsDirectory: String?
    var dataset: String?
    var theme: String?
    var cache: String?
    var imageMode: ImageModeSetting?

    static var path: URL {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("facecap/config.toml")
        }
        return URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config/facecap/config.toml")
    }

    /// A missing file is an empty config; a malformed one is an error naming the file and key.
    static func load(_ url: URL = path) throws -> UserConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return UserConfig() }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw InputError(url.path, "cannot be read") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw InputError(url.path, "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw InputError(url.path, "not valid TOML")
        }
        var config = UserConfig()
        for (key, value) in table {
            func string() throws -> String {
                guard let s = value.string else { throw InputError(url.path, "'\(key)' must be a string") }
                return s
            }
            switch key {
            case "models":
                guard let array = value.array else { throw InputError(url.path, "'models' must be an array of folder paths") }
                config.models = try array.map { item in
                    guard let s = item.string else { throw InputError(url.path, "'models' must be an array of folder paths") }
                    return (s as NSString).expandingTildeInPath
                }
            case "models_dir": config.modelsDirectory = (try string() as NSString).expandingTildeInPath
            case "dataset": config.dataset = (try string() as NSString).expandingTildeInPath
            case "theme": config.theme = try string()
            case "cache": config.cache = (try string() as NSString).expandingTildeInPath
            case "image_mode":
                guard let mode = ImageModeSetting(name: try string()) else {
                    throw InputError(url.path, "'image_mode' must be one of \(ImageModeSetting.names.joined(separator: ", "))")
                }
                config.imageMode = mode
            default:
                throw InputError(url.path, "unknown key '\(key)' (known: models, models_dir, dataset, theme, cache, image_mode)")
            }
        }
        return config
    }
}
