import Foundation

/// One facial action unit as a dataset labels it: FACS number and, when known, intensity 0-5.
public struct ActionUnitLabel: Sendable, Hashable, Codable {
    public var number: Int
    public var intensity: Double?

    public init(number: Int, intensity: Double? = nil) {
        self.number = number
        self.intensity = intensity
    }
}

/// Ground truth for one face, as far as the dataset knows it.
public struct FaceLabels: Sendable, Hashable, Codable {
    /// Lower-case emotion word ("happiness", "sadness", ... or a compound "fear and surprise").
    public var emotion: String?
    public var actionUnits: [ActionUnitLabel]

    public init(emotion: String? = nil, actionUnits: [ActionUnitLabel] = []) {
        self.emotion = emotion
        self.actionUnits = actionUnits
    }
}

/// Where a face's pixels come from: an image file, or pixels stored inline in a labels file
/// (FER2013 keeps 48x48 grey faces as text in its CSV).
public enum FaceSource: Sendable, Hashable {
    case file(URL)
    case inlineGrey(width: Int, height: Int, pixels: [UInt8])
    /// A clip: frame images in order (a DFEW/FERV39k clip folder). Shown one frame at a time.
    case frames([URL])
}

/// One face of a dataset.
public struct FaceItem: Sendable, Hashable, Identifiable {
    /// Stable within the dataset: the path relative to the dataset root, or "file.csv#row" for inline faces.
    public var id: String
    public var source: FaceSource
    public var labels: FaceLabels?

    public init(id: String, source: FaceSource, labels: FaceLabels? = nil) {
        self.id = id
        self.source = source
        self.labels = labels
    }

    /// The clip's frames, or nil for a still.
    public var frames: [URL]? {
        if case let .frames(urls) = source { return urls }
        return nil
    }
}
