import Foundation
import Tensor

/// A part of the face to hide, as fractions of the image (aligned face crops are the norm in FER
/// datasets, so fixed fractions land on the same parts of every face). The names and the
/// `X,Y,W,H` form are a contract for scripts (`facecap caption --occlude`).
public enum OcclusionRegion: Hashable, Sendable {
    /// Brows and eyes: the top 55% (eyes sit near 40-48% of the height in aligned crops).
    case upper
    /// Nose tip, mouth and chin: the bottom 45%.
    case lower
    case left
    case right
    /// Any box, fractions of the width and height.
    case box(x: Double, y: Double, width: Double, height: Double)

    public static let named: [OcclusionRegion] = [.upper, .lower, .left, .right]
    static let split = 0.55

    /// `upper`, `lower`, `left`, `right` or `X,Y,W,H` (fractions in 0...1, the box inside the image).
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "upper": self = .upper
        case "lower": self = .lower
        case "left": self = .left
        case "right": self = .right
        default:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
                Double($0.trimmingCharacters(in: .whitespaces))
            }
            guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
                  x >= 0, y >= 0, w > 0, h > 0, x + w <= 1 + 1e-9, y + h <= 1 + 1e-9 else {
                throw InputError("--occlude", "'\(text)' is not upper, lower, left, right or X,Y,W,H (fractions, box inside the image)")
            }
            self = .box(x: x, y: y, width: w, height: h)
        }
    }

    /// (x, y, width, height) as fractions of the image.
    public var fractions: (x: Double, y: Double, width: Double, height: Double) {
        switch self {
        case .upper: return (0, 0, 1, Self.split)
        case .lower: return (0, Self.split, 1, 1 - Self.split)
        case .left: return (0, 0, 0.5, 1)
        case .right: return (0.5, 0, 0.5, 1)
        case let .box(x, y, w, h): return (x, y, w, h)
        }
    }

    /// How the region is written on the command line.
    public var label: String {
        switch self {
        case .upper: return "upper"
        case .lower: return "lower"
        case .left: return "left"
        case .right: return "right"
        case let .box(x, y, w, h):
            return [x, y, w, h].map { String(format: "%.2f", $0) }.joined(separator: ",")
        }
    }

    /// The dataset id a cache row of the occluded face carries (for people reading the cache).
    public func imageID(of faceID: String) -> String { "\(faceID)#occlude=\(label)" }

    /// The pixel rectangle the region covers in a width x height image (at least one pixel).
    public func pixelRect(width: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let f = fractions
        func edge(_ v: Double, _ n: Int) -> Int { max(0, min(n, Int((v * Double(n)).rounded()))) }
        let x0 = edge(f.x, width), y0 = edge(f.y, height)
        return (x0, y0, max(min(width, x0 + 1), edge(f.x + f.width, width)), max(min(height, y0 + 1), edge(f.y + f.height, height)))
    }
}


/// Greys out a region: the hidden pixels become the mid grey that, after CLIP normalisation,
/// is close to the dataset mean (a neutral "nothing here" rather than a black patch the model
/// might read as hair or shadow).
public enum Occlusion {
    public static let grey: UInt8 = 124

    public static func apply(_ region: OcclusionRegion, to image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        let r = region.pixelRect(width: image.width, height: image.height)
        for y in r.y0..<r.y1 {
            for x in r.x0..<r.x1 {
                let i = 3 * (y * image.width + x)
                pixels[i] = grey; pixels[i + 1] = grey; pixels[i + 2] = grey
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }
}

extension RGBImage {
    /// SHA-256 of the decoded pixels (with their size): the cache key of an image that exists only
    /// in memory, such as an occluded face.
    public var pixelHash: String {
        var bytes = Array("facecap rgb \(width)x\(height)\n".utf8)
        bytes.append(contentsOf: pixels)
        return SHA256Digest.of(bytes: bytes)
    }
}
