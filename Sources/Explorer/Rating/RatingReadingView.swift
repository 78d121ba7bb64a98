import Study

/// `v` on the rating screen: every caption of the face in full, each under its letter and the
/// scores typed so far, scrolled with j/k. A rater must be able to read every word they score; the
/// form beside the face shares its rows between captions and cuts long ones.
enum RatingReadingView {
    static func lines(_ face: FaceToRate, form: RatingForm, width: Int) -> [(String, TextRole)] {
        var lines: [(String, TextRole)] = []
        for (index, caption) in face.captions.enumerated() {
            let scores = RatingForm.Field.allCases.map { field in
                "\(field.label) " + (form.value(caption: index, field: field).map(String.init) ?? "-")
            }
            lines.append(("\(caption.letter)  " + scores.joined(separator: "  "), .paneTitle))
            if let name = caption.modelName { lines.append(("model: \(name)", .muted)) }
            lines += CaptionWrap.lines(RatingCaptionsView.printable(caption.text), highlights: CaptionHighlights(),
                                       width: max(1, width - 2)).map { ("  " + $0.plainText, .text) }
            lines.append(("", .text))
        }
        return lines
    }

    static func maxTop(_ face: FaceToRate, form: RatingForm, rect: Rect) -> Int {
        max(0, lines(face, form: form, width: rect.width).count - rect.height)
    }

    static func paint(_ face: FaceToRate, form: RatingForm, top: Int, rect: Rect, on canvas: Canvas) {
        let all = lines(face, form: form, width: rect.width)
        let start = max(0, min(top, all.count - rect.height))
        for (i, (line, role)) in all.dropFirst(start).prefix(rect.height).enumerated() {
            canvas.text(rect.x, rect.y + i, line, role: role, maxWidth: rect.width)
        }
    }

    /// "lines 1-20 of 34": where the view stands, for the message line.
    static func position(_ face: FaceToRate, form: RatingForm, top: Int, rect: Rect) -> String {
        let count = lines(face, form: form, width: rect.width).count
        let start = max(0, min(top, count - rect.height))
        return count <= rect.height ? "every caption in full"
            : "every caption in full: lines \(start + 1)-\(min(count, start + rect.height)) of \(count)"
    }
}
