import Captioning

/// The `r` dialog: decoding method, its width (beams or top-p), number of captions, and whether
/// the new settings apply to the focused model or to all, on the selected face only. Keys: j/k pick
/// a field, h/l or -/+ change it, d puts back the model's defaults, Enter regenerates, Esc closes.
public struct RegenerateDialog: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable { case method, width, captions, scope }

    public var nucleus: Bool
    public var beams: Int
    /// Top-p in hundredths, so +/- steps exactly.
    public var topPPercent: Int
    public var captions: Int
    public var allModels = false
    public var field: Field = .method
    /// The model's own settings, which `d` puts back.
    public var defaults: DecodingSettings?

    public init(from settings: DecodingSettings) {
        nucleus = settings.sample
        beams = max(1, settings.numBeams)
        topPPercent = Int((settings.topP * 100).rounded())
        if topPPercent >= 100 { topPPercent = 90 }
        captions = max(1, settings.numCaptions)
    }

    public enum Outcome: Equatable { case stay, close, apply }

    public mutating func handle(_ key: KeyInput) -> Outcome {
        switch key {
        case .escape, .char("q"): return .close
        case .enter: return .apply
        case .char("j"), .down, .tab: field = Field(rawValue: (field.rawValue + 1) % Field.allCases.count)!
        case .char("k"), .up, .backTab:
            field = Field(rawValue: (field.rawValue + Field.allCases.count - 1) % Field.allCases.count)!
        case .char("l"), .right, .char("+"), .char(" "): change(by: 1)
        case .char("h"), .left, .char("-"): change(by: -1)
        case .char("d"):
            if let defaults {
                let (keptField, keptScope) = (field, allModels)
                self = RegenerateDialog(from: defaults)
                self.defaults = defaults
                field = keptField
                allModels = keptScope
            }
        default: break
        }
        return .stay
    }

    mutating func change(by step: Int) {
        switch field {
        case .method: nucleus.toggle()
        case .width:
            if nucleus { topPPercent = max(5, min(100, topPPercent + 5 * step)) } else { beams = max(1, min(10, beams + step)) }
        case .captions: captions = max(1, min(5, captions + step))
        case .scope: allModels.toggle()
        }
        // Beam search can return at most as many distinct captions as it keeps beams.
        if !nucleus { captions = min(captions, beams) }
    }

    /// `base` with the dialog's choices applied; everything else (max tokens, prompt, seed) kept.
    public func settings(from base: DecodingSettings) -> DecodingSettings {
        var s = base
        s.sample = nucleus
        s.numBeams = nucleus ? 1 : beams
        s.topP = nucleus ? Float(topPPercent) / 100 : base.topP
        s.numCaptions = nucleus ? captions : min(captions, beams)
        return s
    }

    /// Lines shown in the dialog box, with the selected field marked.
    public var lines: [(text: String, selected: Bool)] {
        [
            ("method:   \(nucleus ? "nucleus sampling" : "beam search")", field == .method),
            (nucleus ? "top-p:    \(Double(topPPercent) / 100)" : "beams:    \(beams)", field == .width),
            ("captions: \(captions)", field == .captions),
            ("apply to: \(allModels ? "all models" : "focused model"), this face", field == .scope),
        ]
    }
}
