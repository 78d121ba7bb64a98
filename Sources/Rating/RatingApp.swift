import Faces
@_exported import TerminalUI

/// `facecap rate`: one rater scoring one study's captions blind, in the terminal. Wiring:
/// ```swift
/// let app = try RatingApp(backend: raterSession, options: TerminalOptions(themesDirectory: ..., themeName: ...),
///                         loadImage: { imageID in try decode(itemsByID[imageID]) })
/// if case let .signal(s) = try app.run() { exit(128 + s) }
/// ```
/// Every face is committed when submitted, so a signal (or kill -9) loses only the face on screen.
public struct RatingApp {
    public let flow: RatingFlow
    public var options: TerminalOptions
    public var loadImage: (String) throws -> RGBImage

    /// Reads where the rater stands; throws if the store cannot be read.
    public init(backend: RatingBackend, options: TerminalOptions, loadImage: @escaping (String) throws -> RGBImage) throws {
        flow = try RatingFlow(backend: backend)
        self.options = options
        self.loadImage = loadImage
    }

    /// Takes over the terminal until `q` or a signal; the terminal is restored either way.
    /// Throws an `InputError` when there is no usable terminal.
    @discardableResult
    public func run() throws -> TerminalExit {
        try RatingLoop(flow: flow, options: options, loadImage: loadImage).run()
    }
}
