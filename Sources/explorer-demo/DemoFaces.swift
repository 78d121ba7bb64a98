import Faces

/// Procedurally drawn 224x224 cartoon faces, one per basic emotion, so the explorer can be
/// exercised without a PNG decoder or a dataset on disk. Brows, eyes and mouth follow each
/// emotion's EMFACS prototype closely enough that the drawn face reads as that emotion.
enum DemoFaces {
    struct Spec {
        var emotion: String
        var units: [ActionUnitLabel]
        /// Brow tilt (+ = inner ends raised), brow height, eye openness, mouth curve (+ = smile), mouth openness.
        var browTilt: Double, browLift: Double, eyeOpen: Double, mouthCurve: Double, mouthOpen: Double
    }

    static let specs: [Spec] = [
        Spec(emotion: "happiness", units: [.init(number: 6, intensity: 3), .init(number: 12, intensity: 4)],
             browTilt: 0, browLift: 0, eyeOpen: 0.6, mouthCurve: 1, mouthOpen: 0.3),
        Spec(emotion: "sadness", units: [.init(number: 1, intensity: 3), .init(number: 4, intensity: 2), .init(number: 15, intensity: 3)],
             browTilt: 1, browLift: 0, eyeOpen: 0.7, mouthCurve: -0.8, mouthOpen: 0),
        Spec(emotion: "surprise", units: [.init(number: 1), .init(number: 2), .init(number: 5), .init(number: 26)],
             browTilt: 0, browLift: 1, eyeOpen: 1.3, mouthCurve: 0, mouthOpen: 1),
        Spec(emotion: "anger", units: [.init(number: 4, intensity: 4), .init(number: 5, intensity: 2), .init(number: 7, intensity: 3), .init(number: 23, intensity: 3)],
             browTilt: -1.2, browLift: -0.4, eyeOpen: 0.8, mouthCurve: -0.2, mouthOpen: 0),
        Spec(emotion: "fear", units: [.init(number: 1), .init(number: 2), .init(number: 4), .init(number: 5), .init(number: 20), .init(number: 26)],
             browTilt: 0.8, browLift: 0.7, eyeOpen: 1.2, mouthCurve: -0.3, mouthOpen: 0.6),
        Spec(emotion: "disgust", units: [.init(number: 9, intensity: 4), .init(number: 15, intensity: 2), .init(number: 16, intensity: 2)],
             browTilt: -0.6, browLift: -0.3, eyeOpen: 0.5, mouthCurve: -0.6, mouthOpen: 0.2),
        Spec(emotion: "neutral", units: [], browTilt: 0, browLift: 0, eyeOpen: 0.8, mouthCurve: 0, mouthOpen: 0),
        Spec(emotion: "contempt", units: [.init(number: 12, intensity: 2), .init(number: 14, intensity: 2)],
             browTilt: 0, browLift: 0, eyeOpen: 0.7, mouthCurve: 0.4, mouthOpen: 0),
    ]

    static func items(count: Int) -> [FaceItem] {
        (0..<count).map { i in
            let spec = specs[i % specs.count]
            return FaceItem(id: "faces/\(spec.emotion)_\(String(format2(i / specs.count + 1))).png",
                            source: .inlineGrey(width: 1, height: 1, pixels: [UInt8(i % 256)]),
                            labels: FaceLabels(emotion: spec.emotion, actionUnits: spec.units))
        }
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func spec(ofIndex index: Int) -> Spec { specs[index % specs.count] }

    /// Draws face `index` (variation in skin and background tone by index).
    static func draw(index: Int, size: Int = 224) -> RGBImage {
        let spec = spec(ofIndex: index)
        let variant = Double(index / specs.count)
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        let s = Double(size)
        func set(_ x: Int, _ y: Int, _ c: (Double, Double, Double)) {
            guard x >= 0, y >= 0, x < size, y < size else { return }
            let o = (y * size + x) * 3
            pixels[o] = UInt8(max(0, min(255, c.0))); pixels[o + 1] = UInt8(max(0, min(255, c.1))); pixels[o + 2] = UInt8(max(0, min(255, c.2)))
        }
        let background = (60 + 20 * variant, 90 + 10 * variant, 140.0)
        let skin = (235 - 15 * variant, 190 - 10 * variant, 150 - 10 * variant)
        let dark = (40.0, 30.0, 30.0)
        let lips = (180.0, 60.0, 60.0)
        for y in 0..<size {
            for x in 0..<size {
                let dx = (Double(x) - s / 2) / (s * 0.36), dy = (Double(y) - s * 0.52) / (s * 0.44)
                set(x, y, dx * dx + dy * dy <= 1 ? skin : background)
            }
        }
        // Eyes: dark ellipses whose height follows openness.
        for side in [-1.0, 1.0] {
            let cx = s / 2 + side * s * 0.14, cy = s * 0.44
            let rx = s * 0.055, ry = s * 0.04 * spec.eyeOpen
            for y in Int(cy - ry - 1)...Int(cy + ry + 1) {
                for x in Int(cx - rx - 1)...Int(cx + rx + 1) {
                    let ex = (Double(x) - cx) / rx, ey = (Double(y) - cy) / max(1, ry)
                    if ex * ex + ey * ey <= 1 { set(x, y, dark) }
                }
            }
            // Brows: thick tilted bars; inner end (towards the nose) raised by browTilt.
            let browY = s * 0.35 - spec.browLift * s * 0.04
            for t in stride(from: -1.0, through: 1.0, by: 0.01) {
                let x = cx + t * s * 0.08
                let inner = -side * t // +1 at the inner end
                let y = browY - inner * spec.browTilt * s * 0.03
                for w in -3...3 { set(Int(x), Int(y) + w, dark) }
            }
        }
        // Nose: a short vertical stroke; wrinkled (disgust) adds cross lines.
        for y in Int(s * 0.50)..<Int(s * 0.60) { for w in -2...2 { set(Int(s / 2) + w, y, (200, 140, 110)) } }
        if spec.emotion == "disgust" {
            for k in 0..<3 { for x in Int(s * 0.45)..<Int(s * 0.55) { set(x, Int(s * 0.51) + 5 * k, dark) } }
        }
        // Mouth: a parabola (smile/frown) thickened by openness; contempt is one-sided.
        let mouthY = s * 0.74, halfWidth = s * 0.15
        for t in stride(from: -1.0, through: 1.0, by: 0.005) {
            let x = s / 2 + t * halfWidth
            var curve = spec.mouthCurve
            if spec.emotion == "contempt" { curve = t > 0 ? 1 : 0 }
            let y = mouthY - curve * s * 0.05 * (t * t)
            let thickness = 3 + Int(spec.mouthOpen * s * 0.06 * (1 - t * t))
            for w in -3...thickness { set(Int(x), Int(y) + w, w > 3 ? dark : lips) }
        }
        return RGBImage(width: size, height: size, pixels: pixels)
    }
}
