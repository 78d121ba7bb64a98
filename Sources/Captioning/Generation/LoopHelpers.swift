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
