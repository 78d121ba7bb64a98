/// DEC sixel (VT340 manual; xterm's ctlseqs): the image as bands of six pixel rows; within a band,
/// one pass per colour of characters whose six bits say which of the six pixels take that colour,
/// runs compressed as `!count char`. The palette (at most 256 registers) comes from `MedianCut`.
public enum SixelEncoder {
    /// - Parameter registers: colour registers the terminal has (xterm -ti vt340 has 16 unless
    ///   its `numColorRegisters` resource says more; most others have 256).
    public static func encode(pixels: [UInt8], width: Int, height: Int, registers: Int = 256) -> [UInt8] {
        let quantizer = MedianCut(pixels: pixels, count: max(2, min(256, registers)))
        var indices = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<(width * height) { indices[i] = UInt8(quantizer.index(r: p[3 * i], g: p[3 * i + 1], b: p[3 * i + 2])) }
        }
        // P2=1: pixels no pass sets keep what is under them; raster attributes "1;1 = square pixels.
        var out = Array("\u{1b}P0;1;0q\"1;1;\(width);\(height)".utf8)
        for (i, c) in quantizer.palette.enumerated() {
            out += Array("#\(i);2;\(percent(c.r));\(percent(c.g));\(percent(c.b))".utf8)
        }
        let colours = quantizer.palette.count
        var bits = [UInt8](repeating: 0, count: colours * width)
        var minX = [Int](repeating: Int.max, count: colours), maxX = [Int](repeating: -1, count: colours)
        var used: [Int] = []
        for top in stride(from: 0, to: height, by: 6) {
            used.removeAll(keepingCapacity: true)
            for dy in 0..<min(6, height - top) {
                let row = (top + dy) * width
                for x in 0..<width {
                    let c = Int(indices[row + x])
                    if maxX[c] < 0 { used.append(c) }
                    bits[c * width + x] |= 1 << dy
                    minX[c] = min(minX[c], x); maxX[c] = max(maxX[c], x)
                }
            }
            for (n, c) in used.enumerated() {
                out += Array("#\(c)".utf8)
                if minX[c] > 0 { run(63, count: minX[c], into: &out) }
                var x = minX[c]
                while x <= maxX[c] {
                    let v = bits[c * width + x]
                    var end = x + 1
                    while end <= maxX[c] && bits[c * width + end] == v { end += 1 }
                    run(63 + v, count: end - x, into: &out)
                    x = end
                }
                // "-" starts the next band; none after the last, where it could add six blank rows.
                if n < used.count - 1 { out.append(UInt8(ascii: "$")) } else if top + 6 < height { out.append(UInt8(ascii: "-")) }
                for i in minX[c]...maxX[c] { bits[c * width + i] = 0 }
                minX[c] = Int.max; maxX[c] = -1
            }
        }
        return out + Array("\u{1b}\\".utf8)
    }

    private static func run(_ char: UInt8, count: Int, into out: inout [UInt8]) {
        if count > 3 {
            out += Array("!\(count)".utf8)
            out.append(char)
        } else {
            for _ in 0..<count { out.append(char) }
        }
    }

    /// Sixel colours are percentages.
    static func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }
}
