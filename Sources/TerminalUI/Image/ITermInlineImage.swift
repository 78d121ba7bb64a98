import Foundation

/// iTerm2's inline images (https://iterm2.com/documentation-images.html), also drawn by WezTerm and
/// mintty: a whole PNG file, base64, in one OSC 1337 sequence, scaled by the terminal to the pixel
/// size given. The image lives in the cells it covers: writing text there erases it.
public enum ITermInlineImage {
    public static func encode(png: Data, pixelWidth: Int, pixelHeight: Int) -> [UInt8] {
        var out = Array(("\u{1b}]1337;File=inline=1;size=\(png.count);width=\(pixelWidth)px;height=\(pixelHeight)px;"
                         + "preserveAspectRatio=0;doNotMoveCursor=1:").utf8)
        out += Array(png.base64EncodedData())
        out.append(0x07)
        return out
    }
}
