import Study

/// The right half of the rating screen: for each caption a score line
/// `A correctness [ 7]  completeness [  ]` and the caption's text below it.
///
/// Rows are shared fairly; the caption under the cursor gets what others leave, and a caption cut
/// short ends in an ellipsis, so a long caption never pushes another off the screen.
enum RatingCaptionsView {
    static func paint(_ face: FaceToRate, form: RatingForm, rect: Rect, ellipsis: String, on canvas: Canvas) {
        let count = face.captions.count
        guard count > 0, !rect.isEmpty else { return }
        let textWidth = max(1, rect.width - 2)
        let (texts, heights, separators) = rows(face, form: form, rect: rect)
        var y = rect.y
        for index in 0..<count {
            scoreLine(form, caption: index, x: rect.x, y: y, width: rect.width, on: canvas)
            y += 1
            let shown = texts[index].prefix(heights[index])
            for (i, (line, role)) in shown.enumerated() {
                let cut = i == shown.count - 1 && shown.count < texts[index].count
                canvas.text(rect.x + 2, y, cut ? clip(line + " " + ellipsis, textWidth, ellipsis: ellipsis) : line,
                            role: role, maxWidth: textWidth)
                y += 1
            }
            y += separators > 0 ? 1 : 0
        }
    }

    /// Each caption's lines, the rows each gets, and whether a blank row separates captions.
    static func rows(_ face: FaceToRate, form: RatingForm, rect: Rect) -> (texts: [[(String, TextRole)]], heights: [Int], separators: Int) {
        let count = face.captions.count
        let texts: [[(String, TextRole)]] = face.captions.map { caption in
            var lines: [(String, TextRole)] = []
            if let name = caption.modelName { lines.append(("model: \(name)", .muted)) }
            lines += CaptionWrap.lines(printable(caption.text), highlights: CaptionHighlights(), width: max(1, rect.width - 2))
                .map { ($0.plainText, .text) }
            return lines
        }
        let separators = rect.height >= 2 * count + (count - 1) ? count - 1 : 0
        let heights = rowsForText(needed: texts.map(\.count), available: rect.height - count - separators,
                                  focused: form.cursor.caption)
        return (texts, heights, separators)
    }

    /// Some caption does not fit whole beside the face (the key line then points to `v`).
    static func cutsACaption(_ face: FaceToRate, form: RatingForm, rect: Rect) -> Bool {
        let (texts, heights, _) = rows(face, form: form, rect: rect)
        return zip(texts, heights).contains { $0.count > $1 }
    }

    /// A model may emit tabs or other control characters; written raw they would move the terminal's
    /// cursor and tear the layout, so they show as spaces.
    static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars)
    }

    /// `A correctness [ 7]  completeness [10]`: 37 columns, which is what 80x24 leaves.
    static func scoreLine(_ form: RatingForm, caption: Int, x: Int, y: Int, width: Int, on canvas: Canvas) {
        let focused = form.cursor.caption == caption
        canvas.text(x, y, form.letters[caption], role: focused ? .paneTitleFocused : .paneTitle, maxWidth: width)
        var column = x + 2
        for field in RatingForm.Field.allCases {
            let label = field.label + " "
            canvas.text(column, y, label, role: .muted, maxWidth: x + width - column)
            column += label.count
            let value = form.value(caption: caption, field: field).map { String($0) } ?? ""
            let box = "[" + String(repeating: " ", count: max(0, 2 - value.count)) + value + "]"
            let selected = focused && form.cursor.field == field && form.mode == .editing
            canvas.text(column, y, box, role: selected ? .selection : .text, maxWidth: x + width - column)
            column += box.count + 2
        }
    }

    /// Text rows per caption: each gets what it needs up to a fair share, then the focused caption,
    /// then the others in order, take what is left.
    static func rowsForText(needed: [Int], available: Int, focused: Int) -> [Int] {
        guard !needed.isEmpty else { return [] }
        var left = max(0, available)
        let share = left / needed.count
        var rows = needed.map { min($0, share) }
        left -= rows.reduce(0, +)
        for index in [focused] + needed.indices.filter({ $0 != focused }) where needed.indices.contains(index) {
            let more = min(left, needed[index] - rows[index])
            rows[index] += more
            left -= more
        }
        return rows
    }
}
