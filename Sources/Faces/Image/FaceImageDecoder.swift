import Foundation

/// The one place a face or frame file becomes pixels: every command and the explorer decode
/// through here, so a new image format is added once, not per caller.
public enum FaceImageDecoder {
    public static func decode(contentsOf url: URL, alpha: AlphaHandling) throws -> RGBImage {
        try PNGDecoder.decode(contentsOf: url, alpha: alpha)
    }
}
