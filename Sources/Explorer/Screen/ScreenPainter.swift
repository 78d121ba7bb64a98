/// Draws a whole screen onto a canvas. The face is not drawn here: the painter blanks its box and
/// returns where it belongs, and the terminal layer writes it after ncurses has flushed (see
/// `TerminalImagePainter`).
public enum ScreenPainter {
    public static func paint(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext,
                             on canvas: Canvas) -> ImagePlacement? {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), role: .text)
        if layout.tooSmall {
            paintTooSmall(layout, on: canvas)
            return nil
        }
        BarsView.header(state, layout: layout, context: context, on: canvas)
        FaceListView.paint(state, rect: layout.list, glyphs: context.glyphs, on: canvas)
        for y in layout.list.y..<layout.list.maxY {
            canvas.text(layout.list.maxX, y, context.glyphs.verticalLine, role: .border, maxWidth: 1)
        }
        let placement = paintFace(state, layout: layout, context: context, on: canvas)
        TruthView.paint(state, rect: layout.truth, context: context, on: canvas)
        RecognizerPaneView.paint(state, rect: layout.recognizer, glyphs: context.glyphs, on: canvas)
        for (i, rect) in layout.panes.enumerated() {
            if layout.sideBySide, i > 0 {
                for y in rect.y..<rect.maxY { canvas.text(rect.x - 1, y, context.glyphs.verticalLine, role: .border, maxWidth: 1) }
            } else if !layout.sideBySide, i == 0 {
                for y in rect.y..<layout.panes.last!.maxY {
                    canvas.text(rect.x - 1, y, context.glyphs.verticalLine, role: .border, maxWidth: 1)
                }
            }
            CaptionPaneView.paint(state, model: i, rect: rect, glyphs: context.glyphs, on: canvas)
        }
        BarsView.status(state, layout: layout, context: context, on: canvas)
        switch state.mode {
        case .normal, .search: return placement
        case .help:
            HelpScreen.paint(scroll: state.helpScroll, layout: layout, glyphs: context.glyphs, on: canvas)
            // Help covers the face's box; the face is written over whatever ncurses drew, so leave it out.
            return nil
        case .fullCaption: Overlays.fullCaption(state, layout: layout, glyphs: context.glyphs, on: canvas)
        case let .filter(menu): Overlays.filter(menu, uncaptioned: state.uncaptionedCount, layout: layout, context: context, on: canvas)
        case let .regenerate(dialog): Overlays.regenerate(dialog, model: state.modelNames[state.focusedPane], layout: layout, on: canvas)
        }
        // The other dialogs stay clear of the face's box (`Overlays.region`), so the face stays on screen.
        return placement
    }

    /// The only thing drawn below 80x24; `extra` lines (a pending question) go under it.
    static func paintTooSmall(_ layout: ScreenLayout, extra: [String] = [], on canvas: Canvas) {
        var lines = ["Terminal too small: \(layout.width)x\(layout.height).",
                     "Please enlarge the terminal to at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight).",
                     "(q quits)"]
        if !extra.isEmpty { lines = lines.dropLast() + [""] + extra }
        let top = max(0, layout.height / 2 - lines.count / 2)
        for (i, line) in lines.enumerated() where top + i < layout.height {
            let x = max(0, (layout.width - line.count) / 2)
            canvas.text(x, top + i, line, role: i == 0 || i >= lines.count - extra.count ? .error : .text,
                        maxWidth: layout.width - x)
        }
    }

    static func paintFace(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) -> ImagePlacement? {
        let box = layout.image
        canvas.fill(box, role: .text)
        let message: String
        switch context.image {
        case let .ready(image):
            return ImagePlacement(image: image, column: box.x + image.offsetX, row: box.y + image.offsetY)
        case .none: message = state.visible.isEmpty ? "no face matches" : ""
        case .loading: message = "loading face…"
        case let .failed(error): message = error
        }
        let lines = CaptionWrap.lines(message, highlights: CaptionHighlights(), width: max(1, box.width - 2),
                                      base: context.image.isFailure ? .error : .muted)
        for (i, line) in lines.prefix(box.height).enumerated() {
            canvas.runs(box.x + 1, box.y + box.height / 2 - lines.count / 2 + i, line, maxWidth: box.width - 2)
        }
        return nil
    }
}

extension ScreenContext.FaceImage {
    var isFailure: Bool { if case .failed = self { return true }; return false }
}
