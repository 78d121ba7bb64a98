import Tensor

/// 8-bit RGB pixels, row-major, three bytes per pixel: what every image source is reduced to
/// before preprocessing or drawing.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes: R, G, B of row 0 left to right, then row 1, ...
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3,
                     "RGBImage: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// 8-bit grey values (FER2013-style CSV rows, "48x48 pixels space-separated") as RGB,
    /// the way PIL's `Image.fromarray(grey).convert("RGB")` repeats the value in each channel.
    /// The count is data, not code, so a mismatch is an `InputError` for the caller to place.
    public init(grey: [UInt8], width: Int, height: Int) throws {
        guard width > 0, height > 0, grey.count == width * height else {
            throw InputError("", "expected \(width)x\(height) = \(max(0, width * height)) grey values, got \(grey.count)")
        }
        var rgb = [UInt8](repeating: 0, count: grey.count * 3)
        for (i, value) in grey.enumerated() {
            rgb[3 * i] = value
            rgb[3 * i + 1] = value
            rgb[3 * i + 2] = value
        }
        self.init(width: width, height: height, pixels: rgb)
    }
}
