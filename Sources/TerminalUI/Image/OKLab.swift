import Foundation

/// Björn Ottosson's OKLab (2020): a colour space where Euclidean distance follows perceived
/// difference far better than RGB does, cheap to compute (two 3x3 matrices and a cube root), and
/// without CIELAB's choice of white point. Distances here are scaled by 100, so 1 is about a
/// just-noticeable difference, like CIE ΔE.
public struct OKLab: Sendable {
    public var l: Double
    public var a: Double
    public var b: Double

    public init(_ c: RGB) {
        let r = Self.linear[Int(c.r)], g = Self.linear[Int(c.g)], bl = Self.linear[Int(c.b)]
        let lms = (cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * bl),
                   cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * bl),
                   cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * bl))
        l = 0.2104542553 * lms.0 + 0.7936177850 * lms.1 - 0.0040720468 * lms.2
        a = 1.9779984951 * lms.0 - 2.4285922050 * lms.1 + 0.4505937099 * lms.2
        b = 0.0259040371 * lms.0 + 0.7827717662 * lms.1 - 0.8086757660 * lms.2
    }

    public func distance(to o: OKLab) -> Double {
        let dl = l - o.l, da = a - o.a, db = b - o.b
        return 100 * (dl * dl + da * da + db * db).squareRoot()
    }

    /// sRGB transfer function undone, per 8-bit value.
    static let linear: [Double] = (0..<256).map { v in
        let x = Double(v) / 255
        return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
    }
}
