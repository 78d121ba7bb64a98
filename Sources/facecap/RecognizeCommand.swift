import ArgumentParser
import Faces
import Foundation
import Recognition
import Tensor

/// `facecap recognize`: the expression of clips (folders of frames) and stills with a DFER-CLIP
/// recognizer. `--json` prints one object per input with input, classes, probs, logits, top, frames:
/// a contract for scripts.
struct RecognizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognize",
        abstract: "Recognise the facial expression of clips (folders of PNG or JPEG frames) and still images.",
        discussion: """
        A clip is a folder of frames in file-name order, sampled as DFER-CLIP's test loader does (16 segments, \
        middle frame of each; shorter clips repeat their last frame); a still is a clip of one frame. \
        --model takes a recognizer folder (config.json with "model_type": "dfer-clip") or one of DFER-CLIP's \
        released .pth checkpoints, whose classes come from --classes or from the prompt learner's size. \
        A bad input is skipped and the others still run; the bad ones are listed on stderr at the end, and \
        the exit status is 2 when some inputs failed, 1 when all did (as for caption).
        """
    )

    @Option(name: .long, help: "Recognizer folder, a name under Models/, or a DFER-CLIP .pth checkpoint.")
    var model = "DFER-CLIP"

    @Option(name: .long, help: "Class set of a .pth checkpoint: dfew, ferv39k, mafw or demo8 (default: from its prompt learner).")
    var classes: String?

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Argument(help: "Clip folders and PNG or JPEG images.")
    var inputs: [String] = []

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one CLIP folder or IMAGE") }
    }

    func run() throws {
        let recognizer = try RecognizerLoader.load(Locations.model(model, missing: "no such model folder or checkpoint").path, classSet: classes)
        let decode: (URL) throws -> RGBImage = { try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite) }
        var failures = BatchFailures()
        for input in inputs {
            do {
                let result = try recognizer.recognize(try FrameClip.open(input), decode: decode)
                print(json ? try RecognitionJSON.line(input: input, result) : RecognitionText.line(input: input, result))
            } catch let error as InputError {
                failures.record(input, error)
            }
            fflush(stdout)
        }
        try failures.finish(total: inputs.count, noun: "inputs")
    }
}

enum RecognitionJSON {
    struct Line: Encodable {
        var input: String
        var classes: [String]
        var probs: [Float]
        var logits: [Float]
        var top: String
        var frames: [Int]
    }

    static func line(input: String, _ r: Recognition) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Line(input: input, classes: r.classes, probs: r.probs, logits: r.logits, top: r.top, frames: r.frames)
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }
}

enum RecognitionText {
    /// `path: top 87%  (happiness 87%, surprise 6%, ...)`, classes by falling probability.
    static func line(input: String, _ r: Recognition) -> String {
        let ranked = r.classes.indices.sorted { r.probs[$0] > r.probs[$1] }
        let percent = { (i: Int) in "\(Int((r.probs[i] * 100).rounded()))%" }
        return "\(input): \(r.top) \(percent(ranked[0]))  (" + ranked.map { "\(r.classes[$0]) \(percent($0))" }.joined(separator: ", ") + ")"
    }
}
