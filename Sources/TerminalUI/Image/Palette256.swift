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
}
