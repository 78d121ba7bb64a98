import Faces

/// The occlusion probe's dialog: which part of the focused face to grey out, and whether the
/// models have been asked to caption it. The box is moved and sized with keys in steps of a
/// twentieth of the image.
public struct OcclusionProbe: Equatable, Sendable {
    public static let choices = ["upper", "lower", "left", "right", "box"]
    public static let step = 0.05

    public var choice = 0
    public var box = (x: 0.25, y: 0.25, width: 0.5, height: 0.3)
    /// Enter pressed: captions of the face with `region` hidden are wanted from every model.
    public var started = false

    public init() {}

    public var region: OcclusionRegion {
        switch choice {
        case 0: return .upper
        case 1: return .lower
        case 2: return .left
        case 3: return .right
        default: return .box(x: box.x, y: box.y, width: box.width, height: box.height)
        }
    }

    public enum Outcome: Equatable { case stay, run, close }

    /// Tab / 1-5 pick the region; with the box: h/j/k/l or arrows move it, H/L narrower/wider,
    /// K/J shorter/taller; Enter runs every model on the face with the region hidden; Esc closes.
    public mutating func handle(_ key: KeyInput) -> Outcome {
        let d = Self.step
        switch key {
        case .tab: choice = (choice + 1) % Self.choices.count
        case .backTab: choice = (choice + Self.choices.count - 1) % Self.choices.count
        case let .char(c) where ("1"..."5").contains(c): choice = Int(String(c))! - 1
        case .enter: started = true; return .run
        case .escape, .char("q"), .char("o"): return .close
        case .char("h"), .left: moveBox(dx: -d, dy: 0)
        case .char("l"), .right: moveBox(dx: d, dy: 0)
        case .char("k"), .up: moveBox(dx: 0, dy: -d)
        case .char("j"), .down: moveBox(dx: 0, dy: d)
        case .char("H"): sizeBox(dw: -d, dh: 0)
        case .char("L"): sizeBox(dw: d, dh: 0)
        case .char("K"): sizeBox(dw: 0, dh: -d)
        case .char("J"): sizeBox(dw: 0, dh: d)
        default: return .stay
        }
        return .stay
    }

    mutating func moveBox(dx: Double, dy: Double) {
        choice = 4
        box.x = Self.clamp(box.x + dx, 0, 1 - box.width)
        box.y = Self.clamp(box.y + dy, 0, 1 - box.height)
    }

    mutating func sizeBox(dw: Double, dh: Double) {
        choice = 4
        box.width = Self.clamp(box.width + dw, Self.step, 1 - box.x)
        box.height = Self.clamp(box.height + dh, Self.step, 1 - box.y)
    }

    static func clamp(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        // Rounded to the step so repeated moves land on the same fractions (and cache keys).
        (max(lo, min(hi, v)) / step * 1000).rounded() / 1000 * step
    }

    public static func == (a: OcclusionProbe, b: OcclusionProbe) -> Bool {
        a.choice == b.choice && a.started == b.started && a.box == b.box
    }
}
