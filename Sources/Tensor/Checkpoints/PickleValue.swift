/// A value rebuilt from a pickle without running any of it. Containers are reference types because
/// pickles build them in place (SETITEMS, APPENDS, BUILD after the object is memoized).
public indirect enum PickleValue: CustomStringConvertible {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A class or function named by GLOBAL; never looked up, never called.
    case global(module: String, name: String)
    /// What calling a global we do not interpret would have made: kept inert with its arguments.
    case object(PickleObject)
    /// A persistent id: a tensor storage held in the archive beside the pickle.
    case storage(TorchStorage)
    case tensor(TorchTensor)
    /// A value outside what checkpoints use (an integer wider than 64 bits); kept as a description.
    case opaque(String)

    public var description: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return "'\(s)'"
        case .bytes(let b): return "bytes(\(b.count))"
        case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .list(let list): return "list(\(list.items.count))"
        case .dict(let dict): return "dict(\(dict.pairs.count))"
        case .global(let module, let name): return "\(module).\(name)"
        case .object(let object): return "\(object.callable)(...)"
        case .storage(let storage): return "storage \(storage.key)"
        case .tensor(let tensor): return "tensor \(tensor.shape)"
        case .opaque(let text): return text
        }
    }

    /// The string-keyed entries of a dict (OrderedDict included), in pickle order.
    public var stringKeyedPairs: [(String, PickleValue)]? {
        guard case .dict(let dict) = self else { return nil }
        return dict.pairs.compactMap { key, value in
            if case .string(let name) = key { return (name, value) }
            return nil
        }
    }

    public subscript(key: String) -> PickleValue? {
        guard case .dict(let dict) = self else { return nil }
        for (k, v) in dict.pairs { if case .string(let name) = k, name == key { return v } }
        return nil
    }
}

public final class PickleList {
    public var items: [PickleValue]
    init(_ items: [PickleValue] = []) { self.items = items }
}

public final class PickleDict {
    public var pairs: [(PickleValue, PickleValue)]
    init(_ pairs: [(PickleValue, PickleValue)] = []) { self.pairs = pairs }
}

public final class PickleObject {
    public let callable: PickleValue
    public let arguments: PickleValue
    /// What BUILD set, if anything.
    public var state: PickleValue?
    init(callable: PickleValue, arguments: PickleValue) {
        self.callable = callable
        self.arguments = arguments
    }
}

/// `('storage', torch.<Type>Storage, key, location, numel)`: the bytes live in `data/<key>`.
public struct TorchStorage {
    public let key: String
    /// The storage class name, e.g. "HalfStorage".
    public let typeName: String
    /// Elements in the storage.
    public let count: Int
}

/// What `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` would have built.
public struct TorchTensor {
    public let storage: TorchStorage
    /// In elements.
    public let offset: Int
    public let shape: [Int]
    public let stride: [Int]
}
