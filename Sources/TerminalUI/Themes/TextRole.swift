/// Every place on screen that takes a colour. The raw value is the table name in a theme file.
public enum TextRole: String, CaseIterable, Sendable {
    case text, muted, header, status, border
    case selection
    case paneTitle = "pane_title"
    case paneTitleFocused = "pane_title_focused"
    /// Emotion words in captions (red in the paper's figure 6).
    case emotion
    /// Facial-action phrases in captions (blue in figure 6).
    case action
    /// An emotion a caption names that differs from the ground truth.
    case disagree
    case markCaptioned = "mark_captioned"
    case markRated = "mark_rated"
    case markDisagree = "mark_disagree"
    case progress, error, cache
    case searchMatch = "search_match"
    case dialog
    /// Confidence shading: words the model gave probability < 0.5 / < 0.2.
    case unsure
    case veryUnsure = "very_unsure"
    /// Occlusion probe: words that changed when part of the face was hidden.
    case changed
    /// The attention map's hot colour (its foreground), blended into the face.
    case heat
}
