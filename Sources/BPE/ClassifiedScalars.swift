/// Text as the pre-tokenizers scan it: where each Unicode scalar starts in the UTF-8 bytes and its
/// `PreTokenClass`. Shared by GPT-2's and CLIP's pre-tokenizers, which differ only in the runs they cut.
public struct ClassifiedScalars {
    public let bytes: [UInt8]
    public let starts: [Int]
    public let classes: [PreTokenClass]
    /// The byte where the scanned range ends.
    public let end: Int

    /// `bytes` must be valid UTF-8.
    public init(_ bytes: [UInt8], in range: Range<Int>) {
        var starts: [Int] = [], classes: [PreTokenClass] = []
        starts.reserveCapacity(range.count)
        classes.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let (scalar, length) = UTF8Scalars.decode(bytes, at: i)
            starts.append(i)
            classes.append(PreTokenClass.of(scalar))
            i += length
        }
        self.bytes = bytes
        self.starts = starts
        self.classes = classes
        end = range.upperBound
    }

    public var count: Int { starts.count }

    /// An ASCII byte is never part of a multi-byte scalar, so comparing a scalar's first byte with an
    /// ASCII character compares the scalar.
    public func isASCII(_ k: Int, _ c: Unicode.Scalar) -> Bool { k < count && bytes[starts[k]] == UInt8(c.value) }

    /// Where an English contraction (`'s|'t|'re|'ve|'m|'ll|'d`, tried first by both patterns) starting at scalar k ends.
    public func contractionEnd(at k: Int) -> Int? {
        guard isASCII(k, "'") else { return nil }
        if isASCII(k + 1, "s") || isASCII(k + 1, "t") || isASCII(k + 1, "m") || isASCII(k + 1, "d") { return k + 2 }
        if (isASCII(k + 1, "r") && isASCII(k + 2, "e")) || (isASCII(k + 1, "v") && isASCII(k + 2, "e"))
            || (isASCII(k + 1, "l") && isASCII(k + 2, "l")) {
            return k + 3
        }
        return nil
    }

    /// The bytes of scalars k..<e.
    public func byteRange(_ k: Int, _ e: Int) -> Range<Int> { starts[k]..<(e < count ? starts[e] : end) }
}
