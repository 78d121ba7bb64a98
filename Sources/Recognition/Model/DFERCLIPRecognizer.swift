import Faces
import Foundation
import Tensor

/// DFER-CLIP as one object: frames -> CLIP image encoder -> temporal transformer -> normalised video
/// feature, matched against the classes' normalised text features (computed once, here at load) / 0.01.
///
/// Activations live in workspaces sized at load for `config.temporal.frames` frames; a call only fills
/// them (the pixel buffer included), so nothing is allocated per frame. Calls are serialised by a lock:
/// the explorer runs one recognizer job at a time per model, and `recognize` is fast.
public final class DFERCLIPRecognizer: @unchecked Sendable {
    public static let logitDivisor: Float = 0.01

    public let config: RecognizerConfig
    /// Identity of the weights (and class set) for caches: same value, same results.
    public let fingerprint: String
    public var classes: [String] { config.classes }
    /// [classes, embedDim], L2-normalised.
    public let textFeatures: [Float]

    let vision: CLIPVisionEncoder
    let temporal: TemporalTransformer
    private let lock = NSLock()
    private let visionWorkspace: VisionWorkspace
    private let temporalWorkspace: TemporalWorkspace
    private let pixels: FloatBuffer
    private let distinctEmbeddings: FloatBuffer
    private let frameEmbeddings: FloatBuffer
    private let video: FloatBuffer

    init(config: RecognizerConfig, weights: RecognizerWeights, tokenizer: CLIPTokenizer?, fingerprint: String) throws {
        self.config = config
        self.fingerprint = fingerprint
        vision = try CLIPVisionEncoder(config: config.vision, embedDim: config.embedDim, weights: weights)
        temporal = try TemporalTransformer(config: config.temporal, dim: config.embedDim, weights: weights)
        let prompts = try PromptLearner(config: config, weights: weights, tokenizer: tokenizer)
        let text = try CLIPTextEncoder(config: config.text, embedDim: config.embedDim, weights: weights)
        var features = text.features(prompts: prompts.prompts, eot: prompts.eot)
        let e = config.embedDim
        for c in 0..<config.classes.count { DFERCLIPRecognizer.normalize(&features[(c * e)..<((c + 1) * e)]) }
        textFeatures = features
        let frames = config.temporal.frames, size = config.vision.imageSize
        visionWorkspace = VisionWorkspace(encoder: vision, maxFrames: frames)
        temporalWorkspace = TemporalWorkspace(temporal)
        pixels = FloatBuffer(count: frames * 3 * size * size)
        distinctEmbeddings = FloatBuffer(count: frames * e)
        frameEmbeddings = FloatBuffer(count: frames * e)
        video = FloatBuffer(count: e)
    }

    /// The frame count the temporal transformer takes (16 for DFER-CLIP).
    public var segments: Int { config.temporal.frames }

    /// Recognises a clip from its sampled frames. `images` are the distinct frames, `order[i]` says which
    /// of them is segment i (so a padded still runs the image encoder once, not 16 times); `frameIndices`
    /// are reported back as the frames used.
    public func recognize(images: [RGBImage], order: [Int], frameIndices: [Int]) -> Recognition {
        precondition(order.count == segments && !images.isEmpty && images.count <= segments && order.allSatisfy { images.indices.contains($0) },
                     "recognize needs \(segments) segments over 1...\(segments) images")
        lock.lock()
        defer { lock.unlock() }
        let e = config.embedDim, size = config.vision.imageSize, plane = size * size
        // Index loops, not enumerated(): unspecialised iteration allocates per element in debug builds.
        for f in 0..<images.count {
            let resized = resize(images[f], width: size, height: size, filter: .bilinear)
            let out = pixels.pointer + f * 3 * plane
            resized.pixels.withUnsafeBufferPointer { rgb in
                for i in 0..<plane {
                    // DFER-CLIP's pipeline only divides by 255 (no mean/std normalisation).
                    out[i] = Float(rgb[3 * i]) / 255
                    out[plane + i] = Float(rgb[3 * i + 1]) / 255
                    out[2 * plane + i] = Float(rgb[3 * i + 2]) / 255
                }
            }
        }
        vision.forward(pixels: pixels.pointer, frames: images.count, into: distinctEmbeddings.pointer, workspace: visionWorkspace)
        for s in 0..<order.count {
            (frameEmbeddings.pointer + s * e).update(from: distinctEmbeddings.pointer + order[s] * e, count: e)
        }
        temporal.forward(frames: frameEmbeddings.pointer, into: video.pointer, workspace: temporalWorkspace)
        var norm: Float = 0
        for i in 0..<e { norm += video[i] * video[i] }
        let inv = 1 / norm.squareRoot()
        var logits = [Float](repeating: 0, count: classes.count)
        for c in 0..<classes.count {
            var dot: Float = 0
            for i in 0..<e { dot += video[i] * inv * textFeatures[c * e + i] }
            logits[c] = dot / DFERCLIPRecognizer.logitDivisor
        }
        return Recognition(classes: classes, logits: logits, frames: frameIndices)
    }

    /// The last call's per-segment frame embeddings and normalised video feature (parity tests).
    public func lastActivations() -> (frames: [Float], video: [Float]) {
        lock.lock()
        defer { lock.unlock() }
        let e = config.embedDim
        var v = video.array()
        DFERCLIPRecognizer.normalize(&v[0..<e])
        return (frameEmbeddings.array(count: segments * e), v)
    }

    static func normalize(_ x: inout ArraySlice<Float>) {
        var norm: Float = 0
        for v in x { norm += v * v }
        let inv = 1 / norm.squareRoot()
        for i in x.indices { x[i] *= inv }
    }
    static func normalize(_ x: inout [Float]) { normalize(&x[...]) }
}
