import Foundation
import Tensor

/// The one place a face or frame file becomes pixels: every command and the explorer decode
/// through here, so a new image format is added once, not per caller.
///
/// The decoder is picked by the file's first bytes, not its name: datasets hold JPEGs renamed .png
/// and PNGs renamed .jpg, and both still decode.
public enum FaceImageDecoder {
    enum Format: Equatable { case png, jpeg }

    /// `alpha` applies to PNG; JPEG has no transparency.
    public static func decode(contentsOf url: URL, alpha: AlphaHandling) throws -> RGBImage {
        switch try format(of: url) {
        case .png: return try PNGDecoder.decode(contentsOf: url, alpha: alpha)
        case .jpeg: return try JPEGDecoder.decode(contentsOf: url)
        }
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// SOI, the marker every JPEG starts with (all libjpeg checks too).
    static let jpegSignature: [UInt8] = [0xFF, 0xD8]

    /// The format whose signature the first bytes match; a file too short to hold the whole
    /// signature still goes to that decoder, which reports it truncated.
    static func format(head: [UInt8]) -> Format? {
        func matches(_ signature: [UInt8]) -> Bool { zip(head, signature).allSatisfy(==) }
        if matches(pngSignature) { return .png }
        if matches(jpegSignature) { return .jpeg }
        return nil
    }

    private static func format(of url: URL) throws -> Format {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(path, "cannot read file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: pngSignature.count)
        let count = read(fd, &head, head.count)
        guard count >= 0 else { throw InputError(path, "cannot read file: \(String(cString: strerror(errno)))") }
        guard count > 0 else { throw InputError(path, "file is empty") }
        guard let format = format(head: Array(head[..<count])) else {
            throw InputError(path, "not a PNG or JPEG file")
        }
        return format
    }
}
