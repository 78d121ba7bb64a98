/// The zoom screen (`z`): the face alone in as many cells as the terminal has, the ground truth in a
/// column beside it, one status line. At 100x30 the face gets 68x29 cells instead of the main
/// screen's pane, four times the area: enough to see a dimpler or a lid tightener even in half blocks.
enum ZoomView {
    /// Columns kept for the ground truth beside the face.
    static func truthWidth(screenWidth: Int) -> Int { min(36, max(20, screenWidth / 3)) }

    static func faceBox(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: 0, width: max(0, width - truthWidth(screenWidth: width) - 1), height: max(0, height - 1))
    }

    static func paint(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) -> ImagePlacement? {
        let box = faceBox(width: layout.width, height: layout.height)
        for y in box.y..<box.maxY { canvas.text(box.maxX, y, context.glyphs.verticalLine, role: .border, maxWidth: 1) }
        // The column beside the face: the ground truth, and under it the recognizer pane (as on the main screen).
        var column = layout
        column.truth = Rect(x: box.maxX + 1, y: 0, width: layout.width - box.maxX - 1, height: box.height)
        column.recognizer = .empty
        if let recognizer = state.recognizer { column.carveRecognizer(rows: recognizer.classes.count + 3) }
        TruthView.paint(state, rect: column.truth, context: context, on: canvas)
        RecognizerPaneView.paint(state, rect: column.recognizer, glyphs: context.glyphs, on: canvas)
        let status = Rect(x: 0, y: layout.height - 1, width: layout.width, height: 1)
        canvas.fill(status, role: .status)
        let position = state.visible.isEmpty ? "" : "face \(state.cursor + 1)/\(state.visible.count)  "
        let isClip = state.selectedItem.map { state.items[$0].frames != nil } ?? false
        let clipKeys = isClip ? "p play  ,/. frame  " : ""
        canvas.text(1, status.y, "zoom  \(position)j/k move  \(clipKeys)z/Esc back  q quit", role: .status, maxWidth: layout.width - 2)
        var zoomed = layout
        zoomed.image = box
        return ScreenPainter.paintFace(state, layout: zoomed, context: context, on: canvas)
    }
}
