/// How captions name action units: the paper's noun and verb forms (Table 1) plus the paraphrases
/// LLM-written and model-written captions use ("brows are raised", "furrowed brow", "jaw dropped",
/// "mouth wide open"). Syntax: see `PhrasePattern`; `{name}` expands to each of `macros[name]`.
///
/// When phrases overlap, the one with more words wins ("tightens lip corner" is AU 14, not the
/// AU 23 inside it; "raises inner eyebrow" is AU 1, not the generic brow raise 1+2).
enum ActionPhrases {
    static let macros: [String: [String]] = [
        "raise": ["~raise|~lift|~elevate|~rise"],
        "brow": ["brow|brows|eyebrow|eyebrows"],
        "lid": ["lid|lids|eyelid|eyelids"],
        "eyes": ["eye|eyes"],
        "cheek": ["cheek|cheeks"],
        "lips": ["lip|lips"],
        // "lip corners" and "corners of the mouth" (the gap takes "of the").
        "corner": ["lip|lips|mouth corner|corners", "corner|corners mouth|lip|lips"],
    ]

    static let table: [(aus: [Int], phrases: [String])] = [
        ([1], ["inner brow raiser", "{raise} inner {brow}", "inner {brow} {raise}"]),
        ([2], ["outer brow raiser", "{raise} outer {brow}", "outer {brow} {raise}"]),
        ([1, 2], ["{raise} {brow}", "{brow} {raise}", "{raise} inner and outer {brow}",
                  "inner and outer {brow} {raise}"]),
        ([4], ["brow lowerer", "~lower {brow}", "{brow} ~lower", "~furrow {brow}", "{brow} ~furrow", "~furrow",
               "~knit {brow}", "{brow} ~knit", "{brow} ~draw|~pull together", "~draw|~pull {brow} together",
               "~frown"]),
        ([5], ["upper lid raiser", "{raise} upper {lid}", "upper {lid} {raise}", "{raise} {lid}", "{lid} {raise}",
               "~widen {eyes}", "{eyes} ~widen", "wide {eyes}", "{eyes} wide", "wide open {eyes}",
               "{eyes} wide open"]),
        ([6], ["cheek raiser", "{raise} {cheek}", "{cheek} {raise}"]),
        ([7], ["lid tightener", "~tighten {lid}", "{lid} ~tighten", "~narrow {eyes}", "{eyes} ~narrow", "~squint"]),
        ([8], ["{lips} toward|towards each other", "~pull {lips} toward|towards each other"]),
        ([9], ["nose wrinkler", "~wrinkle nose", "nose ~wrinkle", "~scrunch|~crinkle nose", "nose ~scrunch|~crinkle"]),
        ([10], ["upper lip raiser", "{raise} upper {lips}", "upper {lips} {raise}", "~curl upper {lips}",
                "upper {lips} ~curl"]),
        ([11], ["nasolabial deepener", "~deepen nasolabial", "nasolabial ~deepen"]),
        ([12], ["lip corner puller", "~pull {corner}", "{corner} ~pull", "{raise} {corner}", "{corner} {raise}",
                "{corner} ~turn up|upward|upwards", "upturned {corner}", "~smile", "~grin"]),
        ([14], ["dimpler", "~dimple", "~tighten {corner}", "{corner} ~tighten"]),
        ([15], ["lip corner depressor", "~depress {corner}", "{corner} ~depress", "~lower {corner}",
                "{corner} down|downward|downwards", "downturned mouth|{lips}", "downturned {corner}",
                "downward|downwards ~turn mouth|{lips}", "mouth ~turn down|downward|downwards",
                "~turn down {corner}"]),
        ([16], ["lower lip depressor", "~depress lower {lips}", "lower {lips} ~depress", "lower {lips} down"]),
        ([17], ["chin raiser", "{raise} chin", "chin {raise}", "~wrinkle chin"]),
        ([18], ["lip pucker", "~pucker {lips}", "{lips} ~pucker", "~pucker"]),
        ([19], ["tongue show", "~stick tongue out", "tongue ~stick out", "tongue out", "~show tongue",
                "tongue ~show", "tongue visible"]),
        ([20], ["lip stretch|stretcher", "~stretch {lips}", "{lips} ~stretch"]),
        ([21], ["neck tightener", "~tighten neck", "neck ~tighten", "~tense neck", "neck ~tense"]),
        ([22], ["lip funneler", "~funnel {lips}", "{lips} ~funnel"]),
        ([23], ["lip tightener", "~tighten {lips}|mouth", "{lips}|mouth ~tighten", "tight {lips}"]),
        ([24], ["lip pressor", "~press {lips}", "{lips} ~press", "~compress {lips}", "{lips} ~compress"]),
        ([25], ["lips part", "~part {lips}", "{lips} ~part", "~separate {lips}", "{lips} ~separate", "{lips} apart",
                "~open mouth|{lips}", "mouth|{lips} ~open"]),
        ([26], ["jaw drop|dropper", "~drop jaw", "jaw ~drop", "~lower jaw", "jaw ~lower", "slack jaw"]),
        ([27], ["mouth stretch|stretcher", "~stretch mouth", "mouth ~stretch"]),
        ([25, 27], ["mouth wide open", "wide open mouth", "mouth ~open wide", "~open mouth wide"]),
        ([28], ["lip suck", "~suck {lips}", "{lips} ~suck", "~suck in {lips}"]),
        ([43], ["eyes closed", "~close {eyes}", "{eyes} ~close", "~shut {eyes}", "{eyes} shut"]),
    ]

    /// All patterns, macros expanded, most words first (the overlap rule's priority order).
    static let patterns: [PhrasePattern] = table.flatMap { entry in
        entry.phrases.flatMap(expand).map { PhrasePattern($0, actionUnits: entry.aus) }
    }.sorted { $0.slots.count > $1.slots.count }

    /// Expands `{name}` macros, one pattern per combination of their alternatives. A macro inside a
    /// `|` list ("mouth|{lips}") splices its words into that slot.
    static func expand(_ phrase: String) -> [String] {
        guard let open = phrase.firstIndex(of: "{"), let close = phrase[open...].firstIndex(of: "}") else {
            return [phrase]
        }
        let name = String(phrase[phrase.index(after: open)..<close])
        guard let alternatives = macros[name] else { preconditionFailure("unknown phrase macro {\(name)}") }
        return alternatives.flatMap { expand(phrase.replacingCharacters(in: open...close, with: $0)) }
    }
}
