/// Floyd-Steinberg error diffusion onto the 256-colour palette (what chafa's `--dither diffusion`
/// does): each pixel takes its perceptually nearest entry and passes what that entry got wrong to
/// the pixels right and below, so a skin tone between two cube entries comes out as a mix of both
/// instead of a hard seam. Rows are walked in alternating directions (serpentine) so errors do not
/// drift to one side. `strength` below 1 damps the diffusion, trading a little colour accuracy for
/// less speckle in flat areas.
public enum PaletteDither {
    public static func floydSteinberg(_ grid: PixelGrid, strength: Double = 0.85) -> PixelGrid {
        let w = grid.width, h = grid.height
        var work = grid.pixels.flatMap { [Double($0.r), Double($0.g), Double($0.b)] }
        var out = grid.pixels
        for y in 0..<h {
            let leftToRight = y % 2 == 0
            for step in 0..<w {
                let x = leftToRight ? step : w - 1 - step
                let i = (y * w + x) * 3
                let wanted = RGB(clamp(work[i]), clamp(work[i + 1]), clamp(work[i + 2]))
                let chosen = Palette256.color(ofIndex: Palette256.perceptualIndex(to: wanted))
                out[y * w + x] = chosen
                let error = [work[i] - Double(chosen.r), work[i + 1] - Double(chosen.g), work[i + 2] - Double(chosen.b)]
                let ahead = leftToRight ? 1 : -1
                func spread(_ dx: Int, _ dy: Int, _ weight: Double) {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, nx < w, ny < h else { return }
                    let j = (ny * w + nx) * 3
                    for c in 0..<3 { work[j + c] += error[c] * weight * strength }
                }
                spread(ahead, 0, 7 / 16)
                spread(-ahead, 1, 3 / 16)
                spread(0, 1, 5 / 16)
                spread(ahead, 1, 1 / 16)
            }
        }
        return PixelGrid(width: w, height: h, pixels: out)
    }

    private static func clamp(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
