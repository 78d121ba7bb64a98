import Foundation

/// Plain loops for the decode loop's small checks. The generic `contains`/`min` of the standard
/// library box their iterator in unoptimised builds, which would allocate on every token.
@inline(__always)
func anyFalse(_ flags: [Bool]) -> Bool {
    for i in 0..<flags.count where !flags[i] { return true }
    return false
}

@inline(__always)
func isStopToken(_ token: Int, _ ids: [Int]) -> Bool {
    for i in 0..<ids.count where ids[i] == token { return true }
    return false
}

@inline(__always)
func minimum(_ values: [Float]) -> Float {
    var m = Float.infinity
    for i in 0..<values.count where values[i] < m { m = values[i] }
    return m
}

/// tokens[start..<start+count] as [Int], with one allocation (a generic `map` allocates per
/// element in unoptimised builds).
func tokenIDs(_ tokens: [Int32], from start: Int, count: Int) -> [Int] {
    [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = Int(tokens[start + i]) }
        initialized = count
    }
}

/// log softmax(scores)[index], with -inf entries (masked tokens) contributing nothing.
@inline(__always)
func logProbability(of index: Int, in scores: UnsafePointer<Float>, count: Int) -> Float {
    var maxValue = -Float.infinity
    for i in 0..<count where scores[i] > maxValue { maxValue = scores[i] }
    var sum: Float = 0
    for i in 0..<count { sum += expf(scores[i] - maxValue) }
    return scores[index] - maxValue - logf(sum)
}

/// values[start..<start+count] as a new array (one allocation, after the decode loop).
func slice(_ values: [Float], from start: Int, count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = values[start + i] }
        initialized = count
    }
}
