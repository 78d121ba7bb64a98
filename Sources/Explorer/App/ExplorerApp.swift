// Exported: the explorer's own files and its clients (facecap, explorer-demo, tests) use the
// terminal layer's keys, canvas and themes as part of the explorer's API.
@_exported import TerminalUI

/// How the explorer ended: `q`, or a signal (the caller should exit with 128 + signal).
public typealias ExplorerExit = TerminalExit

/// `facecap explore`: the ncurses explorer. Wiring, in the executable:
/// ```swift
/// let app = ExplorerApp(config: try ExplorerConfig(themesDirectory: themesURL, themeName: theme),
///                       dataset: ExplorerDataset(name: ds.name, items: ds.items, loadImage: { try ds.load($0) }),
///                       models: loaded.map { $0.map(ExplorerModel.loaded) ?? ExplorerModel.failed(name:..., error:...) },
///                       services: ExplorerServices(captioning: CachedCaptioning(...), analyzer: ..., actionUnitName: ..., isRated: ...))
/// if case let .signal(s) = try app.run() { exit(128 + s) }
/// ```
public struct ExplorerApp {
    public var config: ExplorerConfig
    public var dataset: ExplorerDataset
    public var models: [ExplorerModel]
    public var services: ExplorerServices
    /// The recognizer pane's model (beside the caption panes), if any.
    public var recognizer: ExplorerRecognizer?

    public init(config: ExplorerConfig, dataset: ExplorerDataset, models: [ExplorerModel],
                services: ExplorerServices = ExplorerServices(), recognizer: ExplorerRecognizer? = nil) {
        self.recognizer = recognizer
        self.config = config
        self.dataset = dataset
        self.models = models
        self.services = services
    }

    /// Takes over the terminal until `q` or a signal; the terminal is restored either way.
    /// Throws an `InputError` when there is no usable terminal.
    @discardableResult
    public func run() throws -> ExplorerExit {
        try ExplorerLoop(config: config, dataset: dataset, models: models, services: services, recognizer: recognizer).run()
    }
}
