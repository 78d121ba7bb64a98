import Foundation
import Tensor

/// (`RGBImage(grey:width:height:)` in Image/RGBImage.swift turns inline grey faces into RGB.)
extension FaceItem {
    /// The face's pixels. Files are decoded by `decodeFile` (FaceImageDecoder, wired by the caller) so
    /// that dataset listing needs no image codec.
    public func loadImage(decodeFile: (URL) throws -> RGBImage) throws -> RGBImage {
        switch source {
        case .file(let url):
            return try decodeFile(url)
        case .inlineGrey(let width, let height, let pixels):
            do {
                return try RGBImage(grey: pixels, width: width, height: height)
            } catch let error as InputError {
                throw InputError(id, error.problem)
            }
        case .frames(let urls):
            guard let first = urls.first else { throw InputError(id, "clip has no frames") }
            return try decodeFile(first)
        }
    }

    /// Frame `index` of a clip (clamped), or the still itself.
    public func loadFrame(_ index: Int, decodeFile: (URL) throws -> RGBImage) throws -> RGBImage {
        guard case let .frames(urls) = source, !urls.isEmpty else { return try loadImage(decodeFile: decodeFile) }
        return try decodeFile(urls[max(0, min(urls.count - 1, index))])
    }

    /// The caption cache's image key: the hash of the file's bytes, or of an inline face's size and
    /// pixels (prefixed so an inline face can never share a key with a file).
    public func contentHash() throws -> String {
        switch source {
        case .file(let url):
            return try SHA256Digest.of(file: url)
        case .inlineGrey(let width, let height, let pixels):
            var bytes = Array("facecap inline grey \(width)x\(height)\n".utf8)
            bytes.append(contentsOf: pixels)
            return SHA256Digest.of(bytes: bytes)
        case .frames(let urls):
            // The frames' own hashes in order, so renaming the folder keeps the key and editing a frame changes it.
            var bytes = Array("facecap clip \(urls.count)\n".utf8)
            for url in urls { bytes += Array((try SHA256Digest.of(file: url) + "\n").utf8) }
            return SHA256Digest.of(bytes: bytes)
        }
    }
}
