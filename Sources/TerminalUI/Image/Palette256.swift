import Foundation

/// The xterm 256-colour palette's fixed part: a 6x6x6 cube (indices 16-231) and a 24-step grey ramp
/// (232-255). Indices 0-15 are left out on purpose: users redefine them, so they can't be trusted
/// to look like anything in particular.
public enum Palette256 {
    /// Channel values of the cube's six levels, as xterm defines them.
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    public static func color(ofIndex index: Int) -> RGB {
        if index >= 232 {
            let v = UInt8(8 + 10 * (index - 232))
            return RGB(v, v, v)
        }
        let i = index - 16
        return RGB(UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
    }

    /// Nearest palette entry (cube or grey ramp) by squared RGB distance.
    public static func nearestIndex(to c: RGB) -> Int {
        let ri = nearestLevel(c.r), gi = nearestLevel(c.g), bi = nearestLevel(c.b)
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let average = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let greyIndex = 232 + greyStep
        let cubeDistance = color(ofIndex: cubeIndex).distanceSquared(to: c)
        let greyDistance = color(ofIndex: greyIndex).distanceSquared(to: c)
        return greyDistance < cubeDistance ? greyIndex : cubeIndex
    }

    private static func nearestLevel(_ v: UInt8) -> Int {
        var best = 0
        for (i, level) in cubeLevels.enumerated() where abs(level - Int(v)) < abs(cubeLevels[best] - Int(v)) {
            best = i
        }
        return best
    }

    /// Nearest palette entry as the eye sees it (OKLab distance). RGB distance splits skin into
    /// unrelated hues and greys out muted greens; in OKLab the nearest entry keeps hue and lightness.
    /// Only the cube entries around the colour (three levels per channel) and the grey steps around
    /// its lightness are compared: a perceptually nearest entry further out in RGB does not exist
    /// (PaletteTests checks against all 240).
    public static func perceptualIndex(to c: RGB) -> Int {
        let lab = OKLab(c)
        var best = 16, bestDistance = Double.infinity
        func consider(_ index: Int) {
            let d = labs[index - 16].distance(to: lab)
            if d < bestDistance { bestDistance = d; best = index }
        }
        let ri = nearestLevel(c.r), gi = nearestLevel(c.g), bi = nearestLevel(c.b)
        for r in max(0, ri - 1)...min(5, ri + 1) {
            for g in max(0, gi - 1)...min(5, gi + 1) {
                for b in max(0, bi - 1)...min(5, bi + 1) { consider(16 + 36 * r + 6 * g + b) }
            }
        }
        // Grey with the same OKLab lightness: L of a grey is the cube root of its linear value.
        let linear = lab.l * lab.l * lab.l
        let grey = linear <= 0.0031308 ? 12.92 * linear : 1.055 * pow(linear, 1 / 2.4) - 0.055
        let step = Int(((grey * 255 - 8) / 10).rounded())
        for s in max(0, step - 2)...min(23, max(0, step + 2)) { consider(232 + s) }
        return best
    }

    /// OKLab of entries 16...255.
    static let labs: [OKLab] = (16...255).map { OKLab(color(ofIndex: $0)) }
}
