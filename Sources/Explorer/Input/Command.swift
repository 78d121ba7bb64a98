/// What a key means on the main screen.
public enum Command: Equatable, Sendable {
    case move(Int)
    case page(Int)
    case top, bottom
    case nextPane, previousPane
    case search, filter, regenerate, nextTheme, help
    /// Caption every face of the dataset in the background (filters then see them all).
    case captionAll
    /// The dataset's warnings and the faces that could not be read.
    case warnings
    /// Enter: the focused pane's captions in full.
    case readCaption
    case cancel, quit
    /// The face alone at the largest size the terminal allows.
    case zoom
    /// Why did it say that: the attention map over the face, confidence shading, the list by
    /// confidence, the occlusion probe.
    case toggleAttention, toggleConfidence, sortByConfidence, occlusionProbe
    /// A clip in the face view: play / pause, and step one frame back or forward.
    case playPause
    case stepFrame(Int)
    case click(x: Int, y: Int)
}
