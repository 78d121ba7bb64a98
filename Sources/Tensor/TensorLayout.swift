/// One header entry, checked: where a tensor's bytes are in the data section and how to read them.
struct TensorLayout {
    let name: String
    /// The header's dtype string; `dtype` is nil when facecap does not read that type.
    let dtypeName: String
    let dtype: DType?
    let shape: [Int]
    /// Byte range within the data section.
    let begin: Int
    let end: Int

    /// Item sizes of the safetensors types facecap does not read, so their byte ranges can still
    /// be checked. Sub-byte types (F4, F6_*) and types added later are left unchecked in size.
    static let otherItemSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
        "I16": 2, "U16": 2, "I32": 4, "U32": 4, "F64": 8, "I64": 8, "U64": 8, "C64": 8,
    ]

    init(name: String, entry: JSONValue, dataLength: Int, path: String) throws {
        self.name = name
        guard case .object(let fields) = entry else {
            throw InputError(path, "tensor \(name): header entry is \(entry.kindName), not an object")
        }

        guard let dtypeField = fields["dtype"] else { throw InputError(path, "tensor \(name) has no dtype") }
        guard case .string(let dtypeName) = dtypeField, !dtypeName.isEmpty else {
            throw InputError(path, "tensor \(name) has dtype \(dtypeField.kindName), expected a name like \"F32\"")
        }
        self.dtypeName = dtypeName
        dtype = DType(rawValue: dtypeName)

        guard let shapeField = fields["shape"] else { throw InputError(path, "tensor \(name) has no shape") }
        guard case .array(let dims) = shapeField else {
            throw InputError(path, "tensor \(name) has shape that is \(shapeField.kindName), expected an array of non-negative integers")
        }
        var shape: [Int] = []
        for dim in dims {
            guard case .integer(let n) = dim, n >= 0 else {
                throw InputError(path, "tensor \(name) has a shape entry that is not a non-negative integer")
            }
            shape.append(n)
        }
        self.shape = shape

        guard let offsetsField = fields["data_offsets"] else {
            throw InputError(path, "tensor \(name) has no data_offsets")
        }
        guard case .array(let offsets) = offsetsField, offsets.count == 2,
              case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1],
              begin >= 0, end >= 0 else {
            throw InputError(path, "tensor \(name) has data_offsets that are not two non-negative integers")
        }
        guard begin <= end else {
            throw InputError(path, "tensor \(name) has data_offsets [\(begin), \(end)] that end before they begin")
        }
        self.begin = begin
        self.end = end

        if let itemSize = dtype?.itemSize ?? TensorLayout.otherItemSizes[dtypeName] {
            var bytes = itemSize
            for n in shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: n)
                guard !overflow else {
                    throw InputError(path, "tensor \(name) has shape \(shape) too large to address")
                }
                bytes = product
            }
            guard end - begin == bytes else {
                throw InputError(path, "tensor \(name) has shape \(shape) of \(dtypeName) (\(bytes) bytes) but data_offsets [\(begin), \(end)] span \(end - begin) bytes")
            }
        }
        guard end <= dataLength else {
            throw InputError(path, "tensor \(name) has data_offsets [\(begin), \(end)] beyond the \(dataLength)-byte data section; truncated file?")
        }
    }
}
