/// A read-only, typed window onto tensor bytes that live elsewhere (usually an mmapped
/// safetensors file, kept alive by `owner`). Nothing is copied until `widen` is called.
public struct TensorView: @unchecked Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    public let data: UnsafeRawPointer
    /// Keeps the backing memory (mapping or array) alive as long as the view exists.
    public let owner: AnyObject

    public init(name: String, dtype: DType, shape: [Int], data: UnsafeRawPointer, owner: AnyObject) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.data = data
        self.owner = owner
    }

    public var count: Int { shape.reduce(1, *) }
    public var byteCount: Int { count * dtype.itemSize }

    /// Converts elements [start, start+n) to Float32 into `out`.
    @inline(__always)
    public func widen(from start: Int, count n: Int, into out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            out.update(from: data.assumingMemoryBound(to: Float.self) + start, count: n)
        case .f16:
            HalfConversion.f16ToF32(data.assumingMemoryBound(to: UInt16.self) + start, out, n)
        case .bf16:
            HalfConversion.bf16ToF32(data.assumingMemoryBound(to: UInt16.self) + start, out, n)
        }
    }

    /// All elements as Float32 (allocates; for small tensors, tests and load time only).
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            widen(from: 0, count: count, into: buffer.baseAddress!)
            initialized = count
        }
    }
}

/// Half-precision widening. BF16 is the top half of an IEEE float, a shift. F16 goes through a
/// 65536-entry table (256 KB, built once): Swift targets baseline x86-64, where `Float(Float16)`
/// is a software routine per element, and the table keeps widening off the decode's critical path.
public enum HalfConversion {
    static let f16Table: UnsafeMutablePointer<Float> = {
        let table = UnsafeMutablePointer<Float>.allocate(capacity: 65536)
        for bits in 0..<65536 { table[bits] = Float(Float16(bitPattern: UInt16(bits))) }
        return table
    }()

    @inline(__always)
    public static func bf16ToF32(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: UInt32.self)
        for i in 0..<n { out[i] = UInt32(src[i]) << 16 }
    }

    @inline(__always)
    public static func f16ToF32(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        let table = f16Table
        for i in 0..<n { dst[i] = table[Int(src[i])] }
    }

    /// Round-to-nearest-even narrowing, used when random weights are made in memory for `bench`.
    @inline(__always)
    public static func f32ToBF16(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return 0x7FC0 }
        let rounding = ((bits >> 16) & 1) + 0x7FFF
        return UInt16((bits &+ rounding) >> 16)
    }
}
