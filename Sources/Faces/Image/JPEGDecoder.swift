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
        return try decodedImage(DecodeStatus(rawValue: UInt32(status.rawValue)), format: "JPEG", path: path,
                                width: result.width, height: result.height, pixels: result.pixels, message: &result.message)
    }
}
