/// Interprets the pickle opcodes `torch.save` writes (protocol 2, and the few of protocols 3-5 a
/// newer writer may use) into `PickleValue`s, and runs nothing: a GLOBAL is only a name, and a
/// REDUCE calls nothing but builds an inert `PickleObject`, except for the few functions whose
/// meaning we know (OrderedDict, tensor and parameter rebuilds), which are rebuilt as data.
/// This is why a checkpoint can be opened safely; Python's own unpickler would import and call
/// whatever the file names. Modelled on candle's `pickle.rs` and llama.cpp's LazyUnpickler.
struct Unpickler {
    let bytes: UnsafeRawBufferPointer
    /// Where errors point, e.g. "model.pth: archive/data.pkl".
    let origin: String
    private var at = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Every global the pickle named, "module.name" (for messages and tests).
    private(set) var globals: Set<String> = []

    init(bytes: UnsafeRawBufferPointer, origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    struct Failure: Error { let problem: String }

    static func load(_ bytes: UnsafeRawBufferPointer, origin: String) throws -> (value: PickleValue, globals: Set<String>) {
        var machine = Unpickler(bytes: bytes, origin: origin)
        do {
            let value = try machine.run()
            return (value, machine.globals)
        } catch let failure as Failure {
            throw InputError(origin, "pickle byte \(machine.at): \(failure.problem)")
        }
    }

    // MARK: reading

    private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= bytes.count - at else { throw Failure(problem: "needs \(n) more bytes but the pickle ends; truncated") }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
    }
    private mutating func u8() throws -> Int { Int(try take(1)[0]) }
    private mutating func u16() throws -> Int { Int(UInt16(littleEndian: try take(2).loadUnaligned(as: UInt16.self))) }
    private mutating func u32() throws -> Int { Int(UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self))) }
    private mutating func i32() throws -> Int { Int(Int32(littleEndian: try take(4).loadUnaligned(as: Int32.self))) }
    private mutating func u64() throws -> Int {
        let v = UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self))
        guard v <= UInt64(Int.max) else { throw Failure(problem: "length \(v) is absurd") }
        return Int(v)
    }
    private mutating func line() throws -> String {
        var end = at
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count else { throw Failure(problem: "text line runs past the end of the pickle; truncated") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
        at = end + 1
        return text
    }
    private mutating func utf8(_ n: Int) throws -> PickleValue { .string(String(decoding: try take(n), as: UTF8.self)) }

    // MARK: the stack

    private mutating func pop() throws -> PickleValue {
        guard let top = stack.popLast() else { throw Failure(problem: "pops an empty stack; corrupt pickle") }
        return top
    }
    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw Failure(problem: "no MARK to pop to; corrupt pickle") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }
    private func top() throws -> PickleValue {
        guard let top = stack.last else { throw Failure(problem: "reads an empty stack; corrupt pickle") }
        return top
    }

    private static func pairs(_ items: [PickleValue]) throws -> [(PickleValue, PickleValue)] {
        guard items.count % 2 == 0 else { throw Failure(problem: "odd number of items for dict entries") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private func setItems(_ target: PickleValue, _ items: [(PickleValue, PickleValue)]) throws {
        switch target {
        case .dict(let dict): dict.pairs += items
        case .object(let object):  // e.g. a defaultdict kept inert: keep its items as its state
            object.state = .dict(PickleDict(items))
        default: throw Failure(problem: "SETITEM(S) on \(target), not a dict")
        }
    }

    private func append(_ target: PickleValue, _ items: [PickleValue]) throws {
        switch target {
        case .list(let list): list.items += items
        case .object: break  // a set or other container we keep inert
        default: throw Failure(problem: "APPEND(S) on \(target), not a list")
        }
    }

    // MARK: the interpreter

    private mutating func run() throws -> PickleValue {
        while true {
            let op = try u8()
            switch op {
            case 0x80: _ = try u8()                                    // PROTO
            case 0x95: _ = try take(8)                                 // FRAME (length only)
            case 0x2E: return try pop()                                // STOP
            case 0x28: marks.append(stack.count)                       // MARK
            case 0x29: stack.append(.tuple([]))                        // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popToMark()))           // TUPLE
            case 0x85: stack.append(.tuple([try pop()]))               // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))        // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))  // TUPLE3
            case 0x5D: stack.append(.list(PickleList()))               // EMPTY_LIST
            case 0x6C: stack.append(.list(PickleList(try popToMark())))  // LIST
            case 0x7D: stack.append(.dict(PickleDict()))               // EMPTY_DICT
            case 0x64: stack.append(.dict(PickleDict(try Self.pairs(try popToMark()))))  // DICT
            case 0x8F: stack.append(.object(PickleObject(callable: .global(module: "builtins", name: "set"), arguments: .tuple([]))))  // EMPTY_SET
            case 0x91: stack.append(.object(PickleObject(callable: .global(module: "builtins", name: "frozenset"), arguments: .tuple(try popToMark()))))  // FROZENSET
            case 0x90: let items = try popToMark(); try append(try top(), items)    // ADDITEMS
            case 0x73: let v = try pop(), k = try pop(); try setItems(try top(), [(k, v)])  // SETITEM
            case 0x75: let items = try Self.pairs(try popToMark()); try setItems(try top(), items)  // SETITEMS
            case 0x61: let v = try pop(); try append(try top(), [v])   // APPEND
            case 0x65: let items = try popToMark(); try append(try top(), items)  // APPENDS
            case 0x4E: stack.append(.none)                             // NONE
            case 0x88: stack.append(.bool(true))                       // NEWTRUE
            case 0x89: stack.append(.bool(false))                      // NEWFALSE
            case 0x4B: stack.append(.int(try u8()))                    // BININT1
            case 0x4D: stack.append(.int(try u16()))                   // BININT2
            case 0x4A: stack.append(.int(try i32()))                   // BININT
            case 0x8A: stack.append(try long(try u8()))                // LONG1
            case 0x8B: stack.append(try long(try u32()))               // LONG4
            case 0x49:                                                 // INT (text; "01"/"00" are bools)
                let text = try line()
                if text == "01" { stack.append(.bool(true)) } else if text == "00" { stack.append(.bool(false)) }
                else if let v = Int(text) { stack.append(.int(v)) } else { throw Failure(problem: "INT \(text) is not a number") }
            case 0x4C:                                                 // LONG (text)
                let text = try line()
                stack.append(Int(text.hasSuffix("L") ? String(text.dropLast()) : text).map { .int($0) } ?? .opaque(text))
            case 0x47:                                                 // BINFLOAT: big-endian double
                stack.append(.float(Double(bitPattern: UInt64(bigEndian: try take(8).loadUnaligned(as: UInt64.self)))))
            case 0x46:                                                 // FLOAT (text)
                let text = try line()
                guard let v = Double(text) else { throw Failure(problem: "FLOAT \(text) is not a number") }
                stack.append(.float(v))
            case 0x58: stack.append(try utf8(try u32()))               // BINUNICODE
            case 0x8C: stack.append(try utf8(try u8()))                // SHORT_BINUNICODE
            case 0x8D: stack.append(try utf8(try u64()))               // BINUNICODE8
            case 0x54: stack.append(try utf8(try u32()))               // BINSTRING (py2 str)
            case 0x55: stack.append(try utf8(try u8()))                // SHORT_BINSTRING
            case 0x42: stack.append(.bytes(Array(try take(try u32()))))   // BINBYTES
            case 0x43: stack.append(.bytes(Array(try take(try u8()))))    // SHORT_BINBYTES
            case 0x8E: stack.append(.bytes(Array(try take(try u64()))))   // BINBYTES8
            case 0x96: stack.append(.bytes(Array(try take(try u64()))))   // BYTEARRAY8
            case 0x71: memo[try u8()] = try top()                      // BINPUT
            case 0x72: memo[try u32()] = try top()                     // LONG_BINPUT
            case 0x94: memo[memo.count] = try top()                    // MEMOIZE
            case 0x68: stack.append(try recall(try u8()))              // BINGET
            case 0x6A: stack.append(try recall(try u32()))             // LONG_BINGET
            case 0x30: _ = try pop()                                   // POP
            case 0x31: _ = try popToMark()                             // POP_MARK
            case 0x32: stack.append(try top())                         // DUP
            case 0x63:                                                 // GLOBAL "module\nname\n"
                let module = try line(), name = try line()
                stack.append(global(module, name))
            case 0x93:                                                 // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                    throw Failure(problem: "STACK_GLOBAL needs two strings")
                }
                stack.append(global(module, name))
            case 0x52:                                                 // REDUCE: callable(*args), interpreted as data
                let args = try pop(), callable = try pop()
                stack.append(try TorchRebuild.reduce(callable, args))
            case 0x81:                                                 // NEWOBJ: cls.__new__(cls, *args)
                let args = try pop(), cls = try pop()
                stack.append(try TorchRebuild.reduce(cls, args))
            case 0x92:                                                 // NEWOBJ_EX
                let kwargs = try pop(), args = try pop(), cls = try pop()
                stack.append(.object(PickleObject(callable: cls, arguments: .tuple([args, kwargs]))))
            case 0x62:                                                 // BUILD: obj.__setstate__(state)
                let state = try pop()
                if case .object(let object) = try top() { object.state = state }
                // A dict's state (OrderedDict's _metadata) is not part of its items; tensors' state
                // is handled by the rebuild functions. Either way nothing is called.
            case 0x51:                                                 // BINPERSID
                stack.append(try TorchRebuild.persistent(try pop()))
            case 0x50:                                                 // PERSID (text id)
                throw Failure(problem: "text persistent id \(try line()); not a torch.save pickle")
            default:
                throw Failure(problem: "opcode 0x\(String(op, radix: 16)) is not one torch.save writes; not a PyTorch checkpoint, or corrupt")
            }
        }
    }

    private func recall(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw Failure(problem: "memo slot \(index) was never stored; corrupt pickle") }
        return value
    }

    private mutating func global(_ module: String, _ name: String) -> PickleValue {
        globals.insert("\(module).\(name)")
        return .global(module: module, name: name)
    }

    /// Two's-complement little-endian integers of any width; wider than 64 bits stays opaque.
    private mutating func long(_ n: Int) throws -> PickleValue {
        let raw = try take(n)
        if n == 0 { return .int(0) }
        if n > 8 { return .opaque("int of \(n) bytes") }
        var value: UInt64 = 0
        for i in 0..<n { value |= UInt64(raw[i]) << (8 * UInt64(i)) }
        if raw[n - 1] & 0x80 != 0 && n < 8 { value |= ~0 << (8 * UInt64(n)) }
        return .int(Int(Int64(bitPattern: value)))
    }
}
