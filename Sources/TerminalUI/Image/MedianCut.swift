/// A palette of at most `count` colours for one image by median cut (Heckbert 1982, what libsixel
/// does by default): colours are first gathered into a 5-bit-per-channel histogram, then the box
/// with the widest channel range is split at its pixel-weighted median until there are `count`
/// boxes; each box's colour is the mean of its pixels. Written here because no system library
/// offers a quantiser on its own (libsixel's is tied to its encoder and not a dependency we take).
public struct MedianCut {
    public private(set) var palette: [RGB] = []
    /// Histogram key (5-5-5 bits) -> palette index.
    private var indexOfKey: [UInt8]

    public init(pixels: [UInt8], count: Int) {
        precondition((1...256).contains(count), "a sixel palette has 1...256 colours")
        struct Bucket { var key: Int; var n: Int; var r: Int; var g: Int; var b: Int
            func mean(_ c: Int) -> Int { [r, g, b][c] / n } }
        var n = [Int](repeating: 0, count: 32768), sr = n, sg = n, sb = n
        pixels.withUnsafeBufferPointer { p in
            var i = 0
            while i + 2 < p.count {
                let key = Int(p[i] >> 3) << 10 | Int(p[i + 1] >> 3) << 5 | Int(p[i + 2] >> 3)
                n[key] += 1; sr[key] += Int(p[i]); sg[key] += Int(p[i + 1]); sb[key] += Int(p[i + 2])
                i += 3
            }
        }
        var buckets: [Bucket] = []
        for key in 0..<32768 where n[key] > 0 { buckets.append(Bucket(key: key, n: n[key], r: sr[key], g: sg[key], b: sb[key])) }
        indexOfKey = [UInt8](repeating: 0, count: 32768)
        guard !buckets.isEmpty else { palette = [RGB(0, 0, 0)]; return }

        // Boxes are index ranges of `buckets`, re-sorted along the split channel before each split.
        var boxes: [Range<Int>] = [0..<buckets.count]
        func spread(_ box: Range<Int>) -> (range: Int, channel: Int) {
            var best = (range: -1, channel: 0)
            for c in 0..<3 {
                var lo = 255, hi = 0
                for i in box { let v = buckets[i].mean(c); lo = min(lo, v); hi = max(hi, v) }
                if hi - lo > best.range { best = (hi - lo, c) }
            }
            return best
        }
        while boxes.count < count {
            var pick = -1, pickRange = 0, pickChannel = 0
            for (i, box) in boxes.enumerated() where box.count > 1 {
                let s = spread(box)
                if s.range > pickRange { pick = i; pickRange = s.range; pickChannel = s.channel }
            }
            guard pick >= 0 else { break }
            let box = boxes[pick]
            buckets[box].sort { $0.mean(pickChannel) < $1.mean(pickChannel) }
            let total = buckets[box].reduce(0) { $0 + $1.n }
            var running = 0, cut = box.lowerBound + 1
            for i in box {
                running += buckets[i].n
                if running * 2 >= total { cut = i + 1; break }
            }
            cut = min(max(cut, box.lowerBound + 1), box.upperBound - 1)
            boxes[pick] = box.lowerBound..<cut
            boxes.append(cut..<box.upperBound)
        }
        for (index, box) in boxes.enumerated() {
            var pn = 0, r = 0, g = 0, b = 0
            for i in box {
                pn += buckets[i].n; r += buckets[i].r; g += buckets[i].g; b += buckets[i].b
                indexOfKey[buckets[i].key] = UInt8(index)
            }
            palette.append(RGB(UInt8((r + pn / 2) / pn), UInt8((g + pn / 2) / pn), UInt8((b + pn / 2) / pn)))
        }
    }

    @inline(__always)
    public func index(r: UInt8, g: UInt8, b: UInt8) -> Int {
        Int(indexOfKey[Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3)])
    }
}
