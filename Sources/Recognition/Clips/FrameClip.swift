import Faces
import Foundation
import Tensor

/// A clip as DFER-CLIP's datasets store one: a folder of frame images (pre-extracted face crops), in
/// file-name order (Python's plain `sorted`, i.e. by code point). A still image is a clip of one frame.
public struct FrameClip: Sendable, Hashable {
    /// The folder (or the still image) the user named.
    public let path: String
    /// Frame files in order.
    public let frames: [URL]

    public init(path: String, frames: [URL]) {
        self.path = path
        self.frames = frames
    }

    /// A folder of frames, or one image file.
    public static func open(_ path: String) throws -> FrameClip {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(path, "no such file or folder")
        }
        let url = URL(fileURLWithPath: path)
        guard isDirectory.boolValue else { return FrameClip(path: path, frames: [url]) }
        guard let frames = clipFrameNames(in: url) else { throw InputError(path, "cannot list the clip folder") }
        guard !frames.isEmpty else { throw InputError(path, "clip folder has no frames (PNG or JPEG files)") }
        return FrameClip(path: path, frames: frames.map { url.appendingPathComponent($0) })
    }

    /// The sampled frames decoded once each: `images` distinct frames, `order[s]` the image of segment s.
    /// All frames must have one size: a clip's frames are crops of one face track.
    public func sampledFrames(segments: Int, frameCount: Int? = nil,
                              decode: (URL) throws -> RGBImage) throws -> (images: [RGBImage], order: [Int], indices: [Int]) {
        let n = frameCount ?? frames.count
        guard n >= 1, n <= frames.count else {
            throw InputError(path, "the annotation says \(n) frames but the folder holds \(frames.count)")
        }
        let indices = ClipSampling.testIndices(frameCount: n, segments: segments)
        var slot: [Int: Int] = [:]
        var images: [RGBImage] = []
        var order: [Int] = []
        for index in indices {
            if let s = slot[index] { order.append(s); continue }
            let image = try decode(frames[index])
            if let first = images.first, first.width != image.width || first.height != image.height {
                throw InputError(frames[index].path, "frame is \(image.width)x\(image.height) but the clip's frame \(frames[indices[0]].lastPathComponent) is \(first.width)x\(first.height)")
            }
            guard image.width > 0, image.height > 0 else { throw InputError(frames[index].path, "frame has no pixels") }
            slot[index] = images.count
            order.append(images.count)
            images.append(image)
        }
        return (images, order, indices)
    }
}

extension DFERCLIPRecognizer {
    /// Samples, decodes and recognises a clip (or still).
    public func recognize(_ clip: FrameClip, frameCount: Int? = nil, decode: (URL) throws -> RGBImage) throws -> Recognition {
        let sampled = try clip.sampledFrames(segments: segments, frameCount: frameCount, decode: decode)
        return recognize(images: sampled.images, order: sampled.order, frameIndices: sampled.indices)
    }
}
