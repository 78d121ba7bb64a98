import Study

/// Draws the rating screens onto a canvas. Like `ScreenPainter`, the face itself is not drawn here:
/// its box is blanked and its placement returned for the terminal layer to write after ncurses.
public enum RatingPainter {
    public static func paint(_ flow: RatingFlow, layout: RatingLayout, image: ScreenContext.FaceImage,
                             glyphs: Glyphs, on canvas: Canvas) -> ImagePlacement? {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), role: .text)
        if layout.tooSmall {
            var extra: [String] = []
            if case let .rating(_, form) = flow.screen, form.mode == .confirmQuit {
                extra = ["This face is not saved. Quit anyway?", "(y quits, any other key stays)"]
            } else if case let .rating(_, form) = flow.screen, form.isDirty {
                extra = ["Keys wait until the form shows again;", "this face is not saved yet."]
            }
            ScreenPainter.paintTooSmall(ScreenLayout.compute(width: layout.width, height: layout.height,
                                                             modelCount: 1, focusedPane: 0), extra: extra, on: canvas)
            return nil
        }
        header(flow, layout: layout, on: canvas)
        switch flow.screen {
        case let .instructions(resume):
            RatingTextScreens.instructions(flow, resume: resume, layout: layout, on: canvas)
            bottom(message: flow.notice.map { ($0, TextRole.error) }, keys: ("Enter start  q quit", .status),
                   layout: layout, on: canvas)
            return nil
        case .done:
            RatingTextScreens.done(flow, layout: layout, on: canvas)
            bottom(message: flow.notice.map { ($0, TextRole.error) }, keys: ("u reopen the last face  q quit", .status),
                   layout: layout, on: canvas)
            return nil
        case let .rating(face, form):
            for y in layout.face.y..<layout.face.maxY {
                canvas.text(layout.borderX, y, glyphs.verticalLine, role: .border, maxWidth: 1)
            }
            if case let .reading(top) = form.mode {
                RatingReadingView.paint(face, form: form, top: top, rect: layout.captions, on: canvas)
            } else {
                RatingCaptionsView.paint(face, form: form, rect: layout.captions, ellipsis: glyphs.ellipsis, on: canvas)
            }
            var (message, keys) = statusLines(flow, form: form, width: layout.width - 2)
            if case let .reading(top) = form.mode {
                message = (RatingReadingView.position(face, form: form, top: top, rect: layout.captions), .muted)
            } else if message == nil, form.mode == .editing,
                      RatingCaptionsView.cutsACaption(face, form: form, rect: layout.captions) {
                message = ("A caption is cut short here: v shows every caption in full.", .progress)
            }
            bottom(message: message, keys: keys, layout: layout, on: canvas)
            return paintFace(image, box: layout.face, on: canvas)
        }
    }

    static func header(_ flow: RatingFlow, layout: RatingLayout, on canvas: Canvas) {
        canvas.fill(layout.header, role: .header)
        var right = "done \(flow.progress)"
        if case let .rating(face, _) = flow.screen { right = "face \(face.position + 1)  " + right }
        right += " "
        let left = " facecap rate  study \(flow.backend.studyName)  rater \(flow.backend.rater)"
        canvas.text(0, 0, left, role: .header, maxWidth: max(0, layout.width - right.count - 1))
        canvas.text(layout.width - right.count, 0, right, role: .header, maxWidth: right.count)
    }

    /// The message line (prompt, error or note) and the key line for the current form.
    static func statusLines(_ flow: RatingFlow, form: RatingForm, width: Int) -> (message: (String, TextRole)?, keys: (String, TextRole)) {
        let error = form.message.flatMap { $0.isError ? $0.text : nil }
        let letters = { (candidates: [Int]) in candidates.map { form.letters[$0] } }
        func prompt(_ text: String, _ keys: String) -> ((String, TextRole)?, (String, TextRole)) {
            // The prompt owns the message line; an error (a failed skip) takes the key line.
            ((text, .progress), error.map { ($0, .error) } ?? (keys, .status))
        }
        switch form.mode {
        case let .pickingMost(candidates):
            let l = letters(candidates)
            return prompt("\(l.joined(separator: ", ")) tie for MOST complete: which is the most complete?",
                          "press \(l.joined(separator: " or "))  Esc back")
        case let .pickingLeast(candidates):
            let l = letters(candidates)
            return prompt("\(l.joined(separator: ", ")) tie for LEAST complete: which is the least complete?",
                          "press \(l.joined(separator: " or "))  Esc back")
        case let .comment(draft):
            return prompt("comment: \(draft)_", "Enter keep  Esc cancel  Backspace delete")
        case let .skipReason(draft):
            return prompt("skip this face because: \(draft)_", "Enter skip  Esc cancel  Backspace delete")
        case .confirmQuit:
            return prompt("This face is not saved. Quit anyway?", "y quit  any other key stays")
        case .reading:
            return (nil, ("j/k scroll  any other key returns to the scores", .status))
        case .editing:
            let keys = (RatingKeys.keyLine(width: width), TextRole.status)
            if let notice = flow.notice { return ((notice, .error), keys) }
            if let message = form.message { return ((message.text, message.isError ? .error : .muted), keys) }
            if !form.comment.isEmpty { return (("comment: " + form.comment, .muted), keys) }
            return (nil, keys)
        }
    }

    static func bottom(message: (String, TextRole)?, keys: (String, TextRole), layout: RatingLayout,
                       on canvas: Canvas) {
        canvas.fill(layout.keys, role: .status)
        var rows = layout.message.height
        if let (text, role) = message {
            let lines = CaptionWrap.lines(text, highlights: CaptionHighlights(), width: layout.width - 2, base: role)
            // An error that needs a third line takes the key line: the rater must read all of it.
            if role == .error, lines.count > rows { rows += 1 }
            for (i, line) in lines.prefix(rows).enumerated() {
                let last = i == rows - 1 && lines.count > rows
                canvas.text(1, layout.message.y + i, last ? clip(line.plainText + " …", layout.width - 2) : line.plainText,
                            role: role, maxWidth: layout.width - 2)
            }
        }
        if rows == layout.message.height {
            canvas.text(1, layout.keys.y, clip(keys.0, layout.width - 2), role: keys.1, maxWidth: layout.width - 2)
        }
    }

    static func paintFace(_ image: ScreenContext.FaceImage, box: Rect, on canvas: Canvas) -> ImagePlacement? {
        canvas.fill(box, role: .text)
        let message: String
        switch image {
        case let .ready(image):
            return ImagePlacement(image: image, column: box.x + image.offsetX, row: box.y + image.offsetY)
        case .none: message = ""
        case .loading: message = "loading face…"
        case let .failed(error): message = error
        }
        let lines = CaptionWrap.lines(message, highlights: CaptionHighlights(), width: max(1, box.width - 2),
                                      base: image.isFailure ? .error : .muted)
        for (i, line) in lines.prefix(box.height).enumerated() {
            canvas.runs(box.x + 1, box.y + box.height / 2 - lines.count / 2 + i, line, maxWidth: box.width - 2)
        }
        return nil
    }
}
