/// Decoded pixels as every later stage wants them: 8-bit RGB, row-major, no alpha.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// width * height * 3 bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage needs width*height*3 bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
