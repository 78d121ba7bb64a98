
/// Main-screen keys of the explorer, following lazygit/btop/vim habits. This list is the key map,
/// the `?` screen, the status bar's hints and the README's key table (a test compares them); to
/// add a key, add a `Command` case and a row here. Dialogs (search, filter, regenerate) read their
/// own keys.
public enum KeyMap {
    public static let bindings: [KeyBinding<Command>] = [
        KeyBinding("`j` / `k`, arrows", "next / previous face", hint: "move", [
            (.char("j"), .move(1)), (.down, .move(1)), (.wheelDown, .move(1)),
            (.char("k"), .move(-1)), (.up, .move(-1)), (.wheelUp, .move(-1)),
        ]),
        KeyBinding("`PgDn` / `PgUp`, `space` / `b`", "page down / up", [
            (.pageDown, .page(1)), (.char(" "), .page(1)), (.pageUp, .page(-1)), (.char("b"), .page(-1)),
        ]),
        KeyBinding("`g` / `G`, `Home` / `End`", "first / last face", [
            (.char("g"), .top), (.home, .top), (.char("G"), .bottom), (.end, .bottom),
        ]),
        KeyBinding("`Tab` / `Shift-Tab`, `l` / `h`", "focus the next / previous caption pane", hint: "pane", [
            (.tab, .nextPane), (.char("l"), .nextPane), (.right, .nextPane),
            (.backTab, .previousPane), (.char("h"), .previousPane), (.left, .previousPane),
        ]),
        KeyBinding("`/`", "search file names and captions (`Enter` keeps, `Esc` clears)", hint: "search",
                   [(.char("/"), .search)]),
        KeyBinding("`f`", "filter: ground-truth emotion, action unit, captions that disagree (≠) or partly agree (≈) with it, caption text",
                   hint: "filter", [(.char("f"), .filter)]),
        KeyBinding("`Enter`", "read the focused captions in full, word by word (`h` / `l`)",
                   [(.enter, .readCaption)]),
        KeyBinding("`r`", "regenerate the focused pane with other decoding settings (beam / nucleus, number of captions), for this face only",
                   hint: "regen", [(.char("r"), .regenerate)]),
        KeyBinding("`C`", "caption every face in the background, so filters and search see the whole dataset (`Esc` stops)",
                   [(.char("C"), .captionAll)]),
        KeyBinding("`z`", "zoom: the face alone, as large as the terminal allows, its ground-truth action units beside it (`j` / `k` move on, `z` / `Esc` return)",
                   [(.char("z"), .zoom)]),
        KeyBinding("`w`", "the dataset's warnings (skipped files, unusable label lines) and faces that could not be read",
                   [(.char("w"), .warnings)]),
        KeyBinding("`a`", "the focused model's attention over the face as heat (attention, not proof)",
                   [(.char("a"), .toggleAttention)]),
        KeyBinding("`c`", "shade words by the model's confidence (underlined p < 0.5, filled p < 0.2)",
                   [(.char("c"), .toggleConfidence)]),
        KeyBinding("`s`", "order the list: dataset / least sure word / least sure caption first",
                   [(.char("s"), .sortByConfidence)]),
        KeyBinding("`o`", "occlusion probe: hide part of the face, re-caption, compare",
                   [(.char("o"), .occlusionProbe)]),
        KeyBinding("`p`, `,` / `.`", "play / pause a clip in the face view; step one frame back / forward (the recognizer pane follows the frames shown)",
                   [(.char("p"), .playPause), (.char(","), .stepFrame(-1)), (.char("."), .stepFrame(1))]),
        KeyBinding("`t`", "next colour theme (`Themes/*.toml`)", hint: "theme", [(.char("t"), .nextTheme)]),
        KeyBinding("`Esc`", "cancel captioning in progress; clear the search and filter", [(.escape, .cancel)]),
        KeyBinding("mouse click", "select a face, focus a pane", click: { .click(x: $0, y: $1) }),
        KeyBinding("`?`", "all keys", hint: "help", [(.char("?"), .help)]),
        KeyBinding("`q`", "quit", hint: "quit", [(.char("q"), .quit)]),
    ]

    public static func command(for key: KeyInput) -> Command? { bindings.action(for: key) }
}
