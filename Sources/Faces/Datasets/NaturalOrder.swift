/// Orders paths the way people number files: "img2.png" before "img10.png", case-insensitively,
/// so a dataset's listing matches what a file manager shows and stays the same on every machine
/// (directory enumeration order is not).
public func naturallyOrdered(_ a: String, _ b: String) -> Bool {
    let left = Array(a.unicodeScalars), right = Array(b.unicodeScalars)
    var i = 0, j = 0
    while i < left.count && j < right.count {
        if isDigit(left[i]) && isDigit(right[j]) {
            let leftEnd = digitRunEnd(left, from: i), rightEnd = digitRunEnd(right, from: j)
            let leftDigits = significant(left[i..<leftEnd]), rightDigits = significant(right[j..<rightEnd])
            if leftDigits.count != rightDigits.count { return leftDigits.count < rightDigits.count }
            for (x, y) in zip(leftDigits, rightDigits) where x != y { return x.value < y.value }
            i = leftEnd
            j = rightEnd
            continue
        }
        let x = lowered(left[i]), y = lowered(right[j])
        if x != y { return x < y }
        i += 1
        j += 1
    }
    if left.count - i != right.count - j { return left.count - i < right.count - j }
    // Equal under the natural rules ("a01" vs "a1", "A" vs "a"): fall back to code points so the
    // order is still total and deterministic.
    return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
}

private func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }

private func digitRunEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    var end = start
    while end < scalars.count && isDigit(scalars[end]) { end += 1 }
    return end
}

private func significant(_ digits: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
    var run = digits
    while run.count > 1, run.first == "0" { run = run.dropFirst() }
    return run
}

private func lowered(_ s: Unicode.Scalar) -> UInt32 {
    (s >= "A" && s <= "Z") ? s.value + 32 : s.value
}
