/// A small row-major grid of colours: a face after downscaling to terminal resolution.
public struct PixelGrid: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [RGB]

    public init(width: Int, height: Int, pixels: [RGB]) {
        precondition(pixels.count == width * height, "PixelGrid needs width*height pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> RGB { pixels[y * width + x] }
}
