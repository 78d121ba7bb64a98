import Foundation

/// The one pixel budget every image decoder applies: the header's size is checked against it before
/// any pixel memory is allocated, since a file of a few dozen bytes can claim billions of pixels.
enum ImageSizeLimit {
    static let maxPixels = 100_000_000

    static func problem(width: Int, height: Int) -> String {
        let megapixels = Double(width) * Double(height) / 1e6
        let shown = megapixels >= 1000 ? String(Int(megapixels.rounded())) : String(format: "%.1f", megapixels)
        return "image is \(width)x\(height) (\(shown) megapixels); facecap refuses images over \(maxPixels / 1_000_000) megapixels"
    }
}
