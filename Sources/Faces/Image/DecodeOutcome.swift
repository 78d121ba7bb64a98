import Tensor

/// What the C decoders (CPNGDecode, CJPEGDecode) report. Their status enums list the same outcomes in
/// this order, so one wording of each problem serves both formats.
enum DecodeStatus: UInt32 {
    case ok, empty, wrongFormat, truncated, corrupt, tooLarge, outOfMemory, io
}

/// A C decoder's outcome as pixels, or as the one-line InputError worded for `format` ("PNG", "JPEG").
/// `message` is the decoder's NUL-terminated message buffer; an unknown status reads as corrupt data.
func decodedImage<Message>(_ status: DecodeStatus?, format: String, path: String, width: UInt32, height: UInt32,
                           pixels: UnsafeMutablePointer<UInt8>?, message: inout Message) throws -> RGBImage {
    let width = Int(width), height = Int(height)
    let text = withUnsafeBytes(of: &message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    switch status {
    case .ok:
        guard let pixels else { throw InputError(path, "\(format) decoder returned no pixels") }
        return RGBImage(width: width, height: height, pixels: [UInt8](UnsafeBufferPointer(start: pixels, count: width * height * 3)))
    case .empty: throw InputError(path, "file is empty")
    case .wrongFormat: throw InputError(path, "not a \(format) file")
    case .truncated: throw InputError(path, "truncated \(format) data")
    case .tooLarge: throw InputError(path, ImageSizeLimit.problem(width: width, height: height))
    case .outOfMemory: throw InputError(path, "not enough memory to decode a \(width)x\(height) \(format)")
    case .io: throw InputError(path, "cannot read file: \(text)")
    case .corrupt, nil: throw InputError(path, "corrupt \(format) data (\(text))")
    }
}
