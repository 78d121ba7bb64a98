import Captioning

/// One pane's model: a loaded captioner, or the reason it did not load (shown in its pane while
/// the other panes keep working).
public struct ExplorerModel: Sendable {
    public let name: String
    public let captioner: (any FaceCaptioner)?
    public let loadError: String?

    public static func loaded(_ captioner: any FaceCaptioner) -> ExplorerModel {
        ExplorerModel(name: captioner.name, captioner: captioner, loadError: nil)
    }

    public static func failed(name: String, error: String) -> ExplorerModel {
        ExplorerModel(name: name, captioner: nil, loadError: error)
    }

    private init(name: String, captioner: (any FaceCaptioner)?, loadError: String?) {
        self.name = name
        self.captioner = captioner
        self.loadError = loadError
    }
}
