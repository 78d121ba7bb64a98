import Foundation
import Tensor

extension RGBImage {
    /// A grey image as RGB with R = G = B: how FER2013's inline faces reach the image encoder, which
    /// wants three channels (the same as PIL's `convert("RGB")` on an "L" image).
    public init(grey pixels: [UInt8], width: Int, height: Int) throws {
        guard width > 0, height > 0, pixels.count == width * height else {
            throw InputError("", "grey image of \(width)x\(height) needs \(max(0, width * height)) bytes, "
                + "has \(pixels.count)")
        }
        var rgb = [UInt8](repeating: 0, count: pixels.count * 3)
        for (index, value) in pixels.enumerated() {
            rgb[index * 3] = value
            rgb[index * 3 + 1] = value
            rgb[index * 3 + 2] = value
        }
        self.init(width: width, height: height, pixels: rgb)
    }
}

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
            return try ContentHash.of(file: url)
        case .inlineGrey(let width, let height, let pixels):
            var bytes = Array("facecap inline grey \(width)x\(height)\n".utf8)
            bytes.append(contentsOf: pixels)
            return ContentHash.of(bytes: bytes)
        }
    }
}
