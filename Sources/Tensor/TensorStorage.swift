/// Heap memory that owns tensor bytes: weights made in memory (random weights for `bench`,
/// test tensors) and the rare checkpoint tensor whose bytes are misaligned in its file.
/// A `TensorView` keeps it alive through `owner`.
public final class TensorStorage: @unchecked Sendable {
    public let bytes: UnsafeMutableRawBufferPointer

    /// 64-byte alignment suits every element type and SIMD loads.
    public init(byteCount: Int) {
        precondition(byteCount >= 0, "negative tensor byte count")
        // Allocate at least one byte so even an empty tensor has a real, aligned address.
        bytes = .allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
    }

    /// An aligned copy of `source`.
    public convenience init(copying source: UnsafeRawBufferPointer) {
        self.init(byteCount: source.count)
        if let base = source.baseAddress, source.count > 0 {
            bytes.baseAddress!.copyMemory(from: base, byteCount: source.count)
        }
    }

    deinit { bytes.deallocate() }
}

extension TensorView {
    /// A tensor that owns its storage, narrowed from Float32 to `dtype` (round to nearest even).
    /// `floats.count` must equal the product of `shape`: this is for code, not for user input.
    public static func make(name: String, dtype: DType, shape: [Int], floats: [Float]) -> TensorView {
        let count = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 } && floats.count == count,
                     "tensor \(name): \(floats.count) values for shape \(shape)")
        let storage = TensorStorage(byteCount: count * dtype.itemSize)
        let base = storage.bytes.baseAddress!
        switch dtype {
        case .f32:
            let out = base.bindMemory(to: Float.self, capacity: count)
            for i in 0..<count { out[i] = floats[i] }
        case .f16:
            let out = base.bindMemory(to: UInt16.self, capacity: count)
            for i in 0..<count { out[i] = Float16(floats[i]).bitPattern }
        case .bf16:
            let out = base.bindMemory(to: UInt16.self, capacity: count)
            for i in 0..<count { out[i] = HalfConversion.f32ToBF16(floats[i]) }
        }
        return TensorView(name: name, dtype: dtype, shape: shape, data: UnsafeRawPointer(base), owner: storage)
    }

    /// A tensor that owns a copy of raw little-endian element bytes (bit patterns used as given).
    public static func make(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) -> TensorView {
        let count = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 } && bytes.count == count * dtype.itemSize,
                     "tensor \(name): \(bytes.count) bytes for shape \(shape) of \(dtype.rawValue)")
        let storage = bytes.withUnsafeBytes { TensorStorage(copying: $0) }
        return TensorView(name: name, dtype: dtype, shape: shape,
                          data: UnsafeRawPointer(storage.bytes.baseAddress!), owner: storage)
    }

    /// The tensor's bytes, in place.
    public var rawBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: data, count: byteCount) }
}

extension TensorView {
    /// A view of bytes inside a mapped file, or an aligned copy of them when they are misaligned for
    /// the element type: Swift loads must be aligned, and a writer may leave data at any offset.
    static func inPlace(name: String, dtype: DType, shape: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject) -> TensorView {
        if let base = bytes.baseAddress, Int(bitPattern: base) % dtype.itemSize == 0 {
            return TensorView(name: name, dtype: dtype, shape: shape, data: base, owner: owner)
        }
        let storage = TensorStorage(copying: bytes)
        return TensorView(name: name, dtype: dtype, shape: shape, data: UnsafeRawPointer(storage.bytes.baseAddress!), owner: storage)
    }
}
