import Foundation
import Tensor

/// (`RGBImage(grey:width:height:)` in Image/RGBImage.swift turns inline grey faces into RGB.)
extension FaceItem {
    /// The face's pixels. Files are decoded by `decodeFile` (the PNG decoder, wired by the caller) so
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
        }
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
        }
    }
}
