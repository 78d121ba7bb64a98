import CJPEGDecode
import Foundation
import Tensor

/// JPEG files to `RGBImage` through libjpeg-turbo (baseline, progressive, any chroma subsampling,
/// greyscale, CMYK/YCCK), a well-kept decoder with SIMD paths that no hand-written one would match.
///
/// Pixels are what PIL's `Image.open(p).convert("RGB")` gives, the reference loaders' call: the
/// same accurate integer IDCT and fancy upsampling (both libjpeg-turbo), grey replicated into RGB,
/// CMYK taken as Adobe-inverted and converted with PIL's formula. No EXIF rotation, as PIL.
/// Unlike PIL, data libjpeg has to make up pixels for (a cut file, a bad Huffman code) is an error,
/// not a silently grey or smeared face. JPEG has no alpha, so there is no `AlphaHandling`.
public enum JPEGDecoder {
    public static func decode(contentsOf url: URL) throws -> RGBImage {
        let path = url.path
        var result = jpeg_decode_result()
        let status = jpeg_decode_file(path, UInt64(ImageSizeLimit.maxPixels), &result)
        return try finish(status, &result, path: path)
    }

    /// `name` is what error messages call the data (a file name inside an archive, a URL).
    public static func decode(data: Data, name: String) throws -> RGBImage {
        var result = jpeg_decode_result()
        let status = data.withUnsafeBytes { bytes in
            jpeg_decode_memory(bytes.baseAddress, bytes.count, UInt64(ImageSizeLimit.maxPixels), &result)
        }
        return try finish(status, &result, path: name)
    }

    private static func finish(_ status: jpeg_decode_status, _ result: inout jpeg_decode_result,
                               path: String) throws -> RGBImage {
        defer { jpeg_decode_free_pixels(&result) }
        let width = Int(result.width), height = Int(result.height)
        switch status {
        case JPEG_DECODE_OK:
            guard let pixels = result.pixels else { throw InputError(path, "JPEG decoder returned no pixels") }
            let bytes = [UInt8](UnsafeBufferPointer(start: pixels, count: width * height * 3))
            return RGBImage(width: width, height: height, pixels: bytes)
        case JPEG_DECODE_EMPTY:
            throw InputError(path, "file is empty")
        case JPEG_DECODE_NOT_JPEG:
            throw InputError(path, "not a JPEG file")
        case JPEG_DECODE_TRUNCATED:
            throw InputError(path, "truncated JPEG data")
        case JPEG_DECODE_TOO_LARGE:
            throw InputError(path, ImageSizeLimit.problem(width: width, height: height))
        case JPEG_DECODE_OUT_OF_MEMORY:
            throw InputError(path, "not enough memory to decode a \(width)x\(height) JPEG")
        case JPEG_DECODE_IO:
            throw InputError(path, "cannot read file: \(message(of: &result))")
        default:
            throw InputError(path, "corrupt JPEG data (\(message(of: &result)))")
        }
    }

    private static func message(of result: inout jpeg_decode_result) -> String {
        withUnsafeBytes(of: &result.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
