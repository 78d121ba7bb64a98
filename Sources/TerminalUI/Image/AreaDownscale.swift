import Faces

/// Box-filter downscale: every output pixel is the coverage-weighted mean of the source pixels under
/// it. Unlike nearest-neighbour sampling it keeps thin features (eyes, mouth corners) visible when
/// a 224x224 face shrinks to ~30x30 cells. Upscaling degenerates to nearest-neighbour, which is fine
/// for the tiny FER2013 faces.
public enum AreaDownscale {
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> PixelGrid {
        precondition(width > 0 && height > 0, "target size must be positive")
        guard image.width > 0, image.height > 0 else {
            return PixelGrid(width: width, height: height, pixels: Array(repeating: RGB(0, 0, 0), count: width * height))
        }
        let xTaps = taps(source: image.width, target: width)
        let yTaps = taps(source: image.height, target: height)
        var out: [RGB] = []
        out.reserveCapacity(width * height)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<height {
                for x in 0..<width {
                    var r = 0.0, g = 0.0, b = 0.0, total = 0.0
                    for (sy, wy) in yTaps[y] {
                        for (sx, wx) in xTaps[x] {
                            let w = wx * wy
                            let o = (sy * image.width + sx) * 3
                            r += w * Double(px[o]); g += w * Double(px[o + 1]); b += w * Double(px[o + 2])
                            total += w
                        }
                    }
                    out.append(RGB(channel(r / total), channel(g / total), channel(b / total)))
                }
            }
        }
        return PixelGrid(width: width, height: height, pixels: out)
    }

    /// For each target index, the source indices it covers and how much of each.
    static func taps(source: Int, target: Int) -> [[(Int, Double)]] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { t in
            let start = Double(t) * scale
            let end = Double(t + 1) * scale
            var list: [(Int, Double)] = []
            var s = Int(start.rounded(.down))
            while Double(s) < end && s < source {
                let covered = min(end, Double(s + 1)) - max(start, Double(s))
                if covered > 1e-9 { list.append((s, covered)) }
                s += 1
            }
            if list.isEmpty { list.append((min(source - 1, Int(start)), 1)) }
            return list
        }
    }

    private static func channel(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
