import Faces
import Foundation

/// `facecap show`: faces printed to stdout one after another, as timg and viu do, without the
/// explorer. Each face is `columns` cells wide; the cursor ends on the line below it, so output
/// can be piped, saved and `cat` later, or mixed with text.
public enum FaceShow {
    /// The bytes that print one face at the cursor's line.
    public static func bytes(_ image: RGBImage, mode: ImageMode, columns: Int, cell: CellSize,
                             sixelRegisters: Int = 256) -> [UInt8]? {
        guard image.width > 0, image.height > 0, columns > 0 else { return nil }
        if mode.drawsPixels {
            let pixelHeight = Double(columns * cell.width) * Double(image.height) / Double(image.width)
            let rows = max(1, Int((pixelHeight / Double(cell.height)).rounded(.up)))
            guard let rendered = PixelImageRenderer.render(image, boxColumns: columns, boxRows: rows, mode: mode, cell: cell,
                                                           sixelRegisters: sixelRegisters, kittyID: nil),
                  let graphic = rendered.graphic else { return nil }
            // Room first (scrolling if at the bottom), then back up to draw with the cursor saved and
            // restored, then down past the face: the same movement whatever the protocol does with the cursor.
            let n = rendered.rows
            return Array((String(repeating: "\n", count: n) + "\u{1b}[\(n)A\r\u{1b}7").utf8) + graphic.bytes
                + Array("\u{1b}8\u{1b}[\(n)B\r".utf8)
        }
        let rows = max(1, Int((Double(columns) * Double(image.height) / Double(image.width) / 2).rounded(.up)))
        guard let rendered = HalfBlockRenderer.render(image, boxColumns: columns, boxRows: rows, mode: mode) else { return nil }
        var out = ""
        for r in 0..<rendered.rows { out += ImageEscapes.line(rendered, row: r) + "\n" }
        return Array(out.utf8)
    }
}
