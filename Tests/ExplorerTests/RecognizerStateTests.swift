import Faces
import Foundation
import TerminalTesting
import XCTest
@testable import Explorer

/// The recognizer pane's state: which recognition it shows, clip playback, the disagrees filter, the layout.
final class RecognizerStateTests: XCTestCase {
    let layout = ScreenLayout.compute(width: 120, height: 40, modelCount: 1, focusedPane: 0, recognizerRows: 10)

    static let classes = ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"]

    func state() -> ExplorerState {
        let clip = FaceItem(id: "happiness/clip_01", source: .frames((1...40).map { URL(fileURLWithPath: "/f/\($0).png") }),
                            labels: FaceLabels(emotion: "happiness"))
        let still = FaceItem(id: "sadness/still.png", source: .file(URL(fileURLWithPath: "/s.png")), labels: FaceLabels(emotion: "sadness"))
        let recognizer = ExplorerRecognizer(name: "DFER-CLIP", classes: Self.classes, windowFrames: 16) { _, _ in
            RecognizerResult(classes: Self.classes, probs: [0.7, 0.1, 0.1, 0.1, 0, 0, 0], frames: [])
        }
        return ExplorerState(items: [clip, still], models: [], recognizer: recognizer)
    }

    func result(top: Int) -> RecognizerResult {
        var probs = [Float](repeating: 0.05, count: 7)
        probs[top] = 0.7
        return RecognizerResult(classes: Self.classes, probs: probs, frames: [])
    }

    func testPlaybackStepsAndTheWindowFollowsTheFrame() {
        var s = state()
        XCTAssertEqual(s.shownRecognition, RecognitionKey(item: 0, window: nil), "before playing: the whole clip")
        XCTAssertEqual(s.wantedRecognitions.first, RecognitionKey(item: 0, window: nil))
        _ = s.handle(.char("p"), layout: layout)
        XCTAssertTrue(s.isPlaying)
        for _ in 0..<20 { s.advanceFrame() }
        XCTAssertEqual(s.frame(of: 0), 20)
        XCTAssertEqual(s.shownRecognition?.window, 12..<28, "16 frames around frame 20")
        _ = s.handle(.char("p"), layout: layout)
        XCTAssertFalse(s.isPlaying)
        s.advanceFrame()
        XCTAssertEqual(s.frame(of: 0), 20, "paused")
        _ = s.handle(.char("."), layout: layout)
        XCTAssertEqual(s.frame(of: 0), 21)
        for _ in 0..<30 { _ = s.handle(.char("."), layout: layout) }
        XCTAssertEqual(s.frame(of: 0), 39, "stepping stops at the last frame")
        XCTAssertEqual(s.shownRecognition?.window, 24..<40)
        _ = s.handle(.char("p"), layout: layout)
        s.advanceFrame()
        XCTAssertEqual(s.frame(of: 0), 0, "playing loops")
        // A still does not play.
        _ = s.handle(.char("j"), layout: layout)
        _ = s.handle(.char("p"), layout: layout)
        XCTAssertFalse(s.isPlaying)
        XCTAssertEqual(s.shownRecognition, RecognitionKey(item: 1, window: nil))
    }

    func testDisagreeingRecognitionJoinsTheDisagreesFilter() {
        var s = state()
        XCTAssertFalse(s.disagrees(0))
        _ = s.apply(.recognized(RecognitionKey(item: 0, window: nil), result(top: 4)))  // surprise vs happiness
        _ = s.apply(.recognized(RecognitionKey(item: 1, window: nil), result(top: 1)))  // sadness vs sadness
        XCTAssertTrue(s.disagrees(0))
        XCTAssertFalse(s.disagrees(1))
        s.filter = .disagrees
        _ = s.refilter(layout: layout)
        XCTAssertEqual(s.visible, [0])
        XCTAssertFalse(s.wantedRecognitions.contains(RecognitionKey(item: 0, window: nil)), "done recognitions are not asked again")
    }

    func testLayoutCarvesThePaneFromTheTruthBox() {
        let plain = ScreenLayout.compute(width: 120, height: 40, modelCount: 1, focusedPane: 0)
        XCTAssertEqual(plain.recognizer, .empty)
        XCTAssertEqual(layout.recognizer.maxY, plain.truth.maxY)
        XCTAssertEqual(layout.truth.height + layout.recognizer.height, plain.truth.height)
        XCTAssertGreaterThanOrEqual(layout.truth.height, 6, "the truth keeps its name, emotion and three action units")
        XCTAssertEqual(layout.recognizer.height, 10)
    }

    func testPanePaintsOneBarPerClassAndTheVerdict() {
        var s = state()
        _ = s.apply(.recognized(RecognitionKey(item: 0, window: nil), result(top: 4)))
        let canvas = GridCanvas(width: 120, height: 40)
        let context = ScreenContext(datasetName: "d", themeName: "dark", glyphs: .unicode, queue: (pending: 0, running: 0),
                                    actionUnitName: { _ in nil }, image: .loading)
        _ = ScreenPainter.paint(s, layout: layout, context: context, on: canvas)
        let screen = canvas.lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("top: surprise ≠ truth: happiness"), screen)
        for name in Self.classes { XCTAssertTrue(canvas.lines.contains { $0.contains(name) && $0.contains("%") }, "\(name):\n\(screen)") }
        XCTAssertTrue(screen.contains("DFER-CLIP · frame 1/40"), screen)
    }

    /// Zoom (issue 16) keeps the clip keys and the pane: the clip plays at full size, with the bars
    /// under the ground truth beside it.
    func testZoomPlaysTheClipAndKeepsThePane() {
        var s = state()
        _ = s.apply(.recognized(RecognitionKey(item: 0, window: nil), result(top: 4)))
        _ = s.handle(.char("z"), layout: layout)
        XCTAssertEqual(s.mode, .zoom)
        _ = s.handle(.char("."), layout: layout)
        _ = s.handle(.char("."), layout: layout)
        XCTAssertEqual(s.frame(of: 0), 2, "stepping in zoom")
        _ = s.handle(.char("p"), layout: layout)
        XCTAssertTrue(s.isPlaying)
        XCTAssertEqual(s.mode, .zoom, "p does not leave the zoom")
        XCTAssertEqual(s.shownRecognition, RecognitionKey(item: 0, window: 0..<16), "the pane follows the frames in zoom too")
        _ = s.apply(.recognized(s.shownRecognition!, result(top: 4)))
        let canvas = GridCanvas(width: 120, height: 40)
        let context = ScreenContext(datasetName: "d", themeName: "dark", glyphs: .unicode, queue: (pending: 0, running: 0),
                                    actionUnitName: { _ in nil }, image: .loading)
        _ = ScreenPainter.paint(s, layout: layout, context: context, on: canvas)
        let screen = canvas.lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("DFER-CLIP · frame 3/40 ▶"), screen)
        XCTAssertTrue(screen.contains("p play"), screen)
        for name in Self.classes { XCTAssertTrue(canvas.lines.contains { $0.contains(name) && $0.contains("%") }, "\(name):\n\(screen)") }
    }
}
