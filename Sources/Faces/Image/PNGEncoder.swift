import CPNGDecode
import Foundation

/// RGB pixels to a PNG file's bytes through libpng: what iTerm2's inline images (and any terminal
/// protocol that only takes files) are sent as.
public enum PNGEncoder {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `level` is zlib's 0-9: an image shown once on a terminal wants speed more than size.
    public static func encode(_ image: RGBImage, level: Int = 1) throws -> Data {
        var result = png_encode_result()
        let status = image.pixels.withUnsafeBufferPointer {
            png_encode_rgb($0.baseAddress, UInt32(image.width), UInt32(image.height), Int32(level), &result)
        }
        defer { png_encode_free(&result) }
        guard status == 0, let data = result.data else {
            let message = withUnsafeBytes(of: &result.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            throw Failure(description: "cannot encode a \(image.width)x\(image.height) PNG: \(message)")
        }
        return Data(bytes: data, count: result.size)
    }
}
