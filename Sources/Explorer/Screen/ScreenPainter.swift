/// Draws a whole screen onto a canvas. The face is not drawn here: the painter blanks its box and
/// returns where it belongs, and the terminal layer writes it after ncurses has flushed (see
/// `TerminalImagePainter`).
public enum ScreenPainter {
    public static func paint(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext,
                             on canvas: Canvas) -> ImagePlacement? {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), role: .text)
        if layout.tooSmall {
            TooSmallScreen.paint(width: layout.width, height: layout.height, on: canvas)
            return nil
        }
        if state.mode == .zoom { return ZoomView.paint(state, layout: layout, context: context, on: canvas) }
        BarsView.header(state, layout: layout, context: context, on: canvas)
        FaceListView.paint(state, rect: layout.list, glyphs: context.glyphs, on: canvas)
        for y in layout.list.y..<layout.list.maxY {
            canvas.text(layout.list.maxX, y, context.glyphs.verticalLine, role: .border, maxWidth: 1)
        }
        let placement = paintFace(state, layout: layout, context: context, on: canvas)
        TruthView.paint(state, rect: layout.truth, context: context, on: canvas)
        WhyViews.mapNote(state, layout: layout, on: canvas)
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
        case .normal, .search, .zoom: return placement
        case .help:
            HelpScreen.paint(scroll: state.helpScroll, layout: layout, glyphs: context.glyphs, footer: context.imageSummary,
                             on: canvas)
            // Help covers the face's box; the face is written over whatever ncurses drew, so leave it out.
            return nil
        case .warnings: WarningsView.paint(state, layout: layout, on: canvas)
        // Beside the face, which shows the current word's map.
        case .fullCaption: Overlays.fullCaption(state, layout: layout, glyphs: context.glyphs, on: canvas)
        case let .occlusion(probe): WhyViews.occlusion(probe, state: state, layout: layout, on: canvas)
        case let .filter(menu): Overlays.filter(menu, uncaptioned: state.uncaptionedCount, layout: layout, context: context, on: canvas)
        case let .regenerate(dialog): Overlays.regenerate(dialog, model: state.modelNames[state.focusedPane], layout: layout, on: canvas)
        }
        // The other dialogs stay clear of the face's box (`Overlays.region`), so the face stays on screen.
        return placement
    }

    static func paintFace(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) -> ImagePlacement? {
        let placement = FacePainter.paint(context.image, box: layout.image,
                                          emptyMessage: state.visible.isEmpty ? "no face matches" : "", on: canvas)
        // The heat map (or the probe's grey region) is blended into the face's cells.
        return placement.map {
            ImagePlacement(image: FaceOverlay.decorate($0.image, state: state, heat: context.heat), column: $0.column, row: $0.row)
        }
    }
}
