/// The handful of callables in a `torch.save` pickle whose meaning we rebuild as data; every other
/// global stays an inert `PickleObject` (so an optimizer's or a config's classes, or anything
/// hostile, load as placeholders and are never looked up or run).
enum TorchRebuild {
    /// Storage classes (`torch.HalfStorage`...) -> element type: the dtype name facecap reports,
    /// its size in bytes, and the `DType` when facecap computes with it.
    static let storageTypes: [String: (name: String, itemSize: Int, dtype: DType?)] = [
        "FloatStorage": ("F32", 4, .f32), "HalfStorage": ("F16", 2, .f16), "BFloat16Storage": ("BF16", 2, .bf16),
        "DoubleStorage": ("F64", 8, nil), "LongStorage": ("I64", 8, nil), "IntStorage": ("I32", 4, nil),
        "ShortStorage": ("I16", 2, nil), "CharStorage": ("I8", 1, nil), "ByteStorage": ("U8", 1, nil),
        "BoolStorage": ("BOOL", 1, nil), "UntypedStorage": ("U8", 1, nil),
        "ComplexFloatStorage": ("C64", 8, nil), "ComplexDoubleStorage": ("C128", 16, nil),
    ]

    typealias Failure = Unpickler.Failure

    /// BINPERSID's id: `('storage', torch.<Type>Storage, key, location, numel)`.
    static func persistent(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let parts) = pid, parts.count >= 5, case .string("storage") = parts[0] else {
            throw Failure(problem: "persistent id \(pid) is not a torch storage reference")
        }
        guard case .global(_, let typeName) = parts[1] else { throw Failure(problem: "storage type \(parts[1]) is not a class name") }
        let key: String
        switch parts[2] {
        case .string(let text): key = text
        case .int(let n): key = String(n)
        default: throw Failure(problem: "storage key \(parts[2]) is not a string")
        }
        guard case .int(let count) = parts[4], count >= 0 else { throw Failure(problem: "storage \(key) has element count \(parts[4])") }
        return .storage(TorchStorage(key: key, typeName: typeName, count: count))
    }

    static func reduce(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let a) = args else {
            return .object(PickleObject(callable: callable, arguments: args))
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            return .dict(PickleDict())
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            guard a.count >= 4, case .storage(let storage) = a[0], case .int(let offset) = a[1] else {
                throw Failure(problem: "\(name) arguments \(args) are not (storage, offset, size, stride, ...)")
            }
            return .tensor(TorchTensor(storage: storage, offset: offset, shape: try ints(a[2], "size"), stride: try ints(a[3], "stride")))
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            guard let data = a.first, case .tensor = data else { throw Failure(problem: "\(name) of \(args), not of a tensor") }
            return data
        case ("torch._tensor", "_rebuild_from_type_v2"):
            // (func, subclass, func's args, state): the tensor func builds, without the subclass.
            guard a.count >= 3 else { throw Failure(problem: "\(name) arguments \(args)") }
            return try reduce(a[0], a[2])
        default:
            return .object(PickleObject(callable: callable, arguments: args))
        }
    }

    private static func ints(_ value: PickleValue, _ what: String) throws -> [Int] {
        guard case .tuple(let items) = value else { throw Failure(problem: "tensor \(what) \(value) is not a tuple") }
        return try items.map {
            guard case .int(let n) = $0 else { throw Failure(problem: "tensor \(what) \(value) holds a non-integer") }
            return n
        }
    }
}
