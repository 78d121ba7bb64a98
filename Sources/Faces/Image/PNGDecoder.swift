import CPNGDecode
import Foundation
import Tensor

/// How transparency becomes RGB.
public enum AlphaHandling: Sendable {
    /// Ignore alpha and tRNS, keeping the colour underneath: PIL's `Image.convert("RGB")`, which is
    /// what the LAVIS/Exp-BLIP data loaders apply (`Image.open(p).convert("RGB")`).
    case drop
    /// Composite over opaque white with PIL's rounding: transformers 5.x `convert_to_rgb`, which
    /// the Blip image processors apply when `do_convert_rgb` is set. Differs from `.drop` only
    /// where a pixel is not fully opaque.
    case compositeOntoWhite
}

/// PNG files to `RGBImage` through libpng (all colour types, bit depths 1-16, Adam7).
///
/// Samples are reduced the way PIL loads them: palette and low-bit grey expand to 8 bits
/// (0..2^n-1 scaled to 0..255), 16-bit samples keep their high byte, no gamma or colour
/// management is applied. One deliberate difference: 16-bit greyscale keeps its high byte too,
/// where PIL (mode "I;16" -> "RGB") clips every value above 255 to white.
public enum PNGDecoder {
    /// Images above this are refused before any pixel memory is allocated.
    public static let maxPixels = ImageSizeLimit.maxPixels

    public static func decode(contentsOf url: URL, alpha: AlphaHandling = .drop) throws -> RGBImage {
        let path = url.path
        var result = png_decode_result()
        let status = png_decode_file(path, mode(alpha), UInt64(maxPixels), &result)
        return try finish(status, &result, path: path)
    }

    /// `name` is what error messages call the data (a file name inside an archive, a URL).
    public static func decode(data: Data, name: String, alpha: AlphaHandling = .drop) throws -> RGBImage {
        var result = png_decode_result()
        let status = data.withUnsafeBytes { bytes in
            png_decode_memory(bytes.baseAddress, bytes.count, mode(alpha), UInt64(maxPixels), &result)
        }
        return try finish(status, &result, path: name)
    }

    private static func mode(_ alpha: AlphaHandling) -> png_alpha_mode {
        switch alpha {
        case .drop: return PNG_ALPHA_DROP
        case .compositeOntoWhite: return PNG_ALPHA_COMPOSITE_WHITE
        }
    }

    private static func finish(_ status: png_decode_status, _ result: inout png_decode_result,
                               path: String) throws -> RGBImage {
        defer { png_decode_free_pixels(&result) }
        return try decodedImage(DecodeStatus(rawValue: UInt32(status.rawValue)), format: "PNG", path: path,
                                width: result.width, height: result.height, pixels: result.pixels, message: &result.message)
    }
}
