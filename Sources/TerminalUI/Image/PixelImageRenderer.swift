import Faces
import Foundation

/// Renders a face for a pixel protocol: resized to the pixel size of the cells it may cover
/// (bicubic, Pillow's filter: sharp when enlarging a 224-pixel face to a 600-pixel box, antialiased
/// when shrinking) and encoded for the protocol.
public enum PixelImageRenderer {
    /// The kitty image id of the explorer's face: one id, so a new face replaces the old one.
    public static let explorerImageID: UInt32 = 4_242

    private static let serials = SerialCounter()

    /// - Parameter kittyID: the id a kitty image gets (nil: the terminal picks one, the image stays).
    public static func render(_ image: RGBImage, boxColumns: Int, boxRows: Int, mode: ImageMode, cell: CellSize,
                              sixelRegisters: Int = 256, kittyID: UInt32? = explorerImageID) -> TerminalImage? {
        precondition(mode.drawsPixels, "PixelImageRenderer draws kitty, iTerm2 and sixel only")
        guard let fit = PixelFit(imageWidth: image.width, imageHeight: image.height, boxColumns: boxColumns,
                                 boxRows: boxRows, cell: cell, sixBandHeight: mode == .sixel) else { return nil }
        let resized = resizedFace(image, width: fit.pixelWidth, height: fit.pixelHeight)
        let bytes: [UInt8]
        switch mode {
        case .kitty, .iterm2:
            guard let png = try? PNGEncoder.encode(resized) else { return nil }
            bytes = mode == .kitty ? KittyGraphics.encode(png: png, id: kittyID, moveCursor: false)
                                   : ITermInlineImage.encode(png: png, pixelWidth: fit.pixelWidth, pixelHeight: fit.pixelHeight)
        default:
            bytes = SixelEncoder.encode(pixels: resized.pixels, width: resized.width, height: resized.height,
                                        registers: sixelRegisters)
        }
        let graphic = EncodedGraphic(bytes: bytes, pixelWidth: fit.pixelWidth, pixelHeight: fit.pixelHeight,
                                     serial: serials.next())
        return TerminalImage(columns: fit.columns, rows: fit.rows, offsetX: fit.offsetX, offsetY: fit.offsetY,
                             mode: mode, cells: [], graphic: graphic)
    }

    /// The pixels a pixel protocol sends for a face of this size (tests compare decoded output to it).
    public static func resizedFace(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        resize(image, width: width, height: height, filter: .bicubic)
    }
}

/// Numbers encodings across threads (`facecap show` and both apps render on one thread today).
final class SerialCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// One entry point for every mode: pixel protocols, half blocks and ASCII.
public enum FaceRenderer {
    public static func render(_ image: RGBImage, boxColumns: Int, boxRows: Int, mode: ImageMode,
                              cell: CellSize = .fallback, sixelRegisters: Int = 256) -> TerminalImage? {
        if mode.drawsPixels {
            return PixelImageRenderer.render(image, boxColumns: boxColumns, boxRows: boxRows, mode: mode, cell: cell,
                                             sixelRegisters: sixelRegisters)
        }
        return HalfBlockRenderer.render(image, boxColumns: boxColumns, boxRows: boxRows, mode: mode)
    }
}
