/// The two screens without a face: the instructions before the first face, and the end.
enum RatingTextScreens {
    /// How the screen works, after the study's own instructions; the protocol is the paper's.
    static let protocolLines = [
        "Each face comes with captions A, B, ... written by different models, in a random order; "
            + "which model wrote which stays hidden.",
        "Score every caption twice, 1-10: correctness (is what it says true of this face?) and "
            + "completeness (does it describe the whole expression?). Keys 1-9, and 0 for 10; the cursor moves on by itself.",
        "Enter saves the face to disk at once. When captions tie for most or least complete you pick one.",
        "v shows every caption in full, c adds a comment, s skips a face (with a reason), u goes back one face, q quits; "
            + "you can come back and resume at any time.",
    ]

    static func instructions(_ flow: RatingFlow, resume: Int?, layout: RatingLayout, on canvas: Canvas) {
        let x = 2, width = layout.width - 4
        var lines: [(String, TextRole)] = [("Study \(flow.backend.studyName): instructions", .paneTitle), ("", .text)]
        let own = flow.backend.instructions.trimmingSpaces
        for paragraph in own.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrap(String(paragraph), width: width, role: .text, emptyLine: true)
        }
        if !own.isEmpty { lines.append(("", .text)) }
        for paragraph in protocolLines { lines += wrap(paragraph, width: width, role: .muted) }
        let start: String
        if let resume {
            start = resume == 0 ? "Press Enter to start with face 1 of \(flow.backend.faceCount)."
                : "Press Enter to resume at face \(resume + 1) of \(flow.backend.faceCount) (done \(flow.progress))."
        } else {
            start = "You have rated every face. Press Enter."
        }
        // The start line always shows; the text above it is cut if the terminal is short.
        let startY = layout.message.y - 1
        for (i, (line, role)) in lines.enumerated() where 2 + i < startY - 1 {
            canvas.text(x, 2 + i, line, role: role, maxWidth: width)
        }
        canvas.text(x, startY, start, role: .emotion, maxWidth: width)
    }

    static func done(_ flow: RatingFlow, layout: RatingLayout, on canvas: Canvas) {
        let lines: [(String, TextRole)] = [
            ("Done, thank you!", .emotion),
            ("", .text),
            ("You have finished \(flow.progress) faces of study \(flow.backend.studyName).", .text),
            ("Every answer is saved.", .muted),
        ]
        let top = max(2, layout.height / 2 - lines.count)
        for (i, (line, role)) in lines.enumerated() {
            canvas.text(max(0, (layout.width - line.count) / 2), top + i, line, role: role, maxWidth: layout.width)
        }
    }

    private static func wrap(_ text: String, width: Int, role: TextRole, emptyLine: Bool = false) -> [(String, TextRole)] {
        let wrapped = CaptionWrap.lines(text, highlights: CaptionHighlights(), width: width, base: role)
        if wrapped.isEmpty { return emptyLine ? [("", role)] : [] }
        return wrapped.map { ($0.plainText, role) }
    }
}
