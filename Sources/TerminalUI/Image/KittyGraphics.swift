import Foundation

/// The kitty graphics protocol (https://sw.kovidgoyal.net/kitty/graphics-protocol/): a PNG sent
/// base64 in APC sequences of at most 4096 payload bytes each, drawn with its top-left corner at
/// the cursor. Unlike sixel and iTerm2 images, kitty keeps images on their own layer: text written
/// over them does not erase them, so they are deleted explicitly (`delete`).
public enum KittyGraphics {
    static let chunkSize = 4096

    /// - Parameters:
    ///   - png: the image file.
    ///   - id: an image id to replace and delete later (the explorer's one face); nil lets the
    ///     terminal number it (`facecap show`, where every face stays).
    ///   - moveCursor: false keeps the cursor where it was (C=1), so ncurses' idea of it stays true.
    public static func encode(png: Data, id: UInt32?, moveCursor: Bool) -> [UInt8] {
        let payload = Array(png.base64EncodedData())
        var keys = "a=T,f=100,q=2"
        if let id { keys += ",i=\(id),p=1" }
        if !moveCursor { keys += ",C=1" }
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + payload.count / chunkSize * 16 + 64)
        var start = 0
        repeat {
            let end = min(payload.count, start + chunkSize)
            let more = end < payload.count ? 1 : 0
            let control = start == 0 ? "\(keys),m=\(more)" : "m=\(more)"
            out += Array("\u{1b}_G\(control);".utf8)
            out += payload[start..<end]
            out += Array("\u{1b}\\".utf8)
            start = end
        } while start < payload.count
        return out
    }

    /// Removes every placement of image `id` and frees its data.
    public static func delete(id: UInt32) -> [UInt8] {
        Array("\u{1b}_Ga=d,d=I,i=\(id),q=2\u{1b}\\".utf8)
    }

    /// Asks whether the terminal speaks the protocol: a 1x1 image it answers OK to (or an error)
    /// and ignores otherwise. Id 31 is the probe's own.
    public static let query = "\u{1b}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1b}\\"
}
