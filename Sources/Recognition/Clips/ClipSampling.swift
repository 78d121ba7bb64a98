/// DFER-CLIP's test-time frame choice (`_get_test_indices` in its video dataset): with more frames than
/// segments, the middle frame of each of 16 equal segments, `int(tick / 2 + tick * x)` with
/// `tick = n / 16` computed in floating point as Python does; otherwise every frame, then the last one
/// repeated up to 16. A still is a clip of one frame, so it becomes 16 copies of itself.
public enum ClipSampling {
    public static func testIndices(frameCount n: Int, segments: Int = 16) -> [Int] {
        precondition(n > 0 && segments > 0, "sampling needs frames")
        if n > segments {
            let tick = Double(n) / Double(segments)
            return (0..<segments).map { Int(tick / 2.0 + tick * Double($0)) }
        }
        return Array(0..<n) + [Int](repeating: n - 1, count: segments - n)
    }
}
