import Faces

/// `facecap rate`: one rater scoring one study's captions blind, in the terminal. Wiring:
/// ```swift
/// let app = try RatingApp(backend: raterSession, config: ExplorerConfig(themesDirectory: ..., themeName: ...),
///                         loadImage: { imageID in try decode(itemsByID[imageID]) })
/// if case let .signal(s) = try app.run() { exit(128 + s) }
/// ```
/// Every face is committed when submitted, so a signal (or kill -9) loses only the face on screen.
public struct RatingApp {
    public let flow: RatingFlow
    public var config: ExplorerConfig
    public var loadImage: (String) throws -> RGBImage

    /// Reads where the rater stands; throws if the store cannot be read.
    public init(backend: RatingBackend, config: ExplorerConfig, loadImage: @escaping (String) throws -> RGBImage) throws {
        flow = try RatingFlow(backend: backend)
        self.config = config
        self.loadImage = loadImage
    }

    /// Takes over the terminal until `q` or a signal; the terminal is restored either way.
    /// Throws an `InputError` when there is no usable terminal.
    @discardableResult
    public func run() throws -> ExplorerExit {
        try RatingLoop(flow: flow, config: config, loadImage: loadImage).run()
    }
}
