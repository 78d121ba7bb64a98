import Study

/// The rating session from the first screen to "thank you": which screen is up, which face, and
/// every call to the store. No terminal here, so the whole flow (resume, reopen, write failures)
/// is tested with a fake backend.
///
/// A face is committed before the next one is shown. When a write fails the form and its values
/// stay on screen with the error, and Enter tries again.
public final class RatingFlow {
    public enum Screen: Equatable {
        /// The study's instructions; `resume` is where Enter starts (nil: nothing left to rate).
        case instructions(resume: Int?)
        case rating(face: FaceToRate, form: RatingForm)
        case done
    }

    public let backend: RatingBackend
    public private(set) var screen: Screen
    public private(set) var progress: RatingProgress
    /// A problem outside any form (reading the store failed); shown on the status line.
    public private(set) var notice: String?
    /// Half-typed faces left with `u`, restored when the rater comes back to them.
    private var drafts: [Int: RatingForm] = [:]

    public init(backend: RatingBackend) throws {
        self.backend = backend
        progress = try backend.progress()
        screen = .instructions(resume: try backend.resumePosition())
    }

    /// Handles one key; true when the rater has quit. While the terminal is too small to show the
    /// form, keys typed blind must not score or save anything: only `q` acts (see `handleTooSmall`).
    /// `layout` (nil in tests that do not care) bounds how far the reading view scrolls.
    public func handle(_ key: KeyInput, layout: RatingLayout? = nil) -> Bool {
        if layout?.tooSmall == true { return handleTooSmall(key) }
        switch screen {
        case let .instructions(resume):
            switch key {
            case .char("q"), .escape: return true
            case .enter, .char(" "):
                if let resume { open(resume) } else { screen = .done }
            default: break
            }
        case .done:
            switch key {
            case .char("q"), .enter, .escape: return true
            case .char("u"): open(backend.faceCount - 1)
            default: break
            }
        case .rating(let face, var form):
            notice = nil
            let effect = form.handle(key)
            if case let .reading(top) = form.mode, let layout {
                form.mode = .reading(top: min(top, RatingReadingView.maxTop(face, form: form, rect: layout.captions)))
            }
            screen = .rating(face: face, form: form)
            switch effect {
            case nil: break
            case .quit?: return true
            case let .submit(submission)?:
                // Reopened with u and saved unchanged: not a new revision with a new time.
                if let previous = face.previous, previous.skippedReason == nil, submission.repeats(previous) {
                    drafts[form.position] = nil
                    moveOn()
                    break
                }
                save(form) { try self.backend.submit(submission) }
            case let .skip(reason)?:
                save(form) { try self.backend.skip(position: face.position, reason: reason) }
            case .reopenPrevious?:
                guard face.position > 0 else {
                    form.message = RatingForm.Message(text: "this is the first face", isError: true)
                    screen = .rating(face: face, form: form)
                    break
                }
                if form.isDirty { drafts[face.position] = form }
                open(face.position - 1)
            }
        }
        return false
    }

    /// The too-small screen takes `q` (asking first, on that screen, when the face has unsaved
    /// input) and its answer; every other key is dropped.
    private func handleTooSmall(_ key: KeyInput) -> Bool {
        guard case .rating(let face, var form) = screen else { return key == .char("q") }
        defer { screen = .rating(face: face, form: form) }
        if form.mode == .confirmQuit {
            if key == .char("y") || key == .char("Y") { return true }
            if key != .resize { form.mode = .editing }
            return false
        }
        guard key == .char("q") else { return false }
        if !form.isDirty { return true }
        // Leaves any prompt (comment, skip reason) as it was typed; the answer restores editing.
        form.mode = .confirmQuit
        return false
    }

    /// Writes, then moves to the first face not yet finished (after a reopened face, that is the
    /// one the rater left), or to the end.
    private func save(_ form: RatingForm, _ write: () throws -> RatingProgress) {
        do {
            progress = try write()
        } catch {
            var kept = form
            kept.message = RatingForm.Message(text: "not saved: \(error)", isError: true)
            if case let .rating(face, _) = screen { screen = .rating(face: face, form: kept) }
            return
        }
        drafts[form.position] = nil
        moveOn()
    }

    private func moveOn() {
        do {
            if let next = try backend.resumePosition() { open(next) } else { screen = .done }
        } catch {
            // Saved, but the next face could not be found: say so and stay (Enter would re-save).
            notice = "saved; cannot read the next face: \(error)"
        }
    }

    private func open(_ position: Int) {
        do {
            let face = try backend.face(at: position)
            progress = face.progress
            screen = .rating(face: face, form: drafts.removeValue(forKey: position) ?? RatingForm(face: face))
        } catch {
            notice = "cannot open face \(position + 1): \(error)"
        }
    }
}

extension FaceSubmission {
    /// Says the same as the rater's stored answer: scores, most/least complete and comment.
    func repeats(_ answer: FaceToRate.Answer) -> Bool {
        scores == answer.scores && mostComplete == answer.mostComplete && leastComplete == answer.leastComplete
            && (comment ?? "") == (answer.comment ?? "")
    }
}
