/// Resizing exactly as Pillow's `Image.resize` does for 8-bit RGB (libImaging/Resample.c), so the
/// pixels a model sees match its Python preprocessing bit for bit.
///
/// The scheme: a separable convolution, horizontal pass then vertical pass, each output pixel a
/// weighted sum of source pixels around its centre. When shrinking, the kernel is stretched by the
/// scale factor (antialiasing). Weights are normalised to sum 1, then turned into 22-bit fixed
/// point; sums are rounded and clamped to 0...255 after each pass, so the intermediate image is
/// 8-bit too.
public func resizeBicubic(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
    resize(image, width: width, height: height, filter: .bicubic)
}

public func resize(_ image: RGBImage, width: Int, height: Int, filter: ResampleFilter) -> RGBImage {
    precondition(width > 0 && height > 0, "resize to \(width)x\(height)")
    if width == image.width && height == image.height { return image }  // PIL returns a copy
    precondition(image.width > 0 && image.height > 0, "resize of an empty image")

    let vertical = FixedPointKernel(inSize: image.height, outSize: height, filter: filter)
    var source = image.pixels
    var sourceWidth = image.width
    var rowOffset = 0
    if width != image.width {
        // Only the rows the vertical pass will read are resampled horizontally.
        let first = vertical.start[0]
        let last = vertical.start[height - 1] + vertical.count[height - 1]
        let horizontal = FixedPointKernel(inSize: image.width, outSize: width, filter: filter)
        source = horizontalPass(image.pixels, inWidth: image.width, rows: first..<last, kernel: horizontal)
        sourceWidth = width
        rowOffset = first
    }
    if height != image.height {
        source = verticalPass(source, width: sourceWidth, rowOffset: rowOffset, kernel: vertical)
    }
    return RGBImage(width: width, height: height, pixels: source)
}

/// Per output position: the first source index, how many follow, and their fixed-point weights.
struct FixedPointKernel {
    static let precisionBits = 22  // 32 - 8 - 2: room for 8-bit values and overshoot
    var start: [Int] = []
    var count: [Int] = []
    var weights: [[Int32]] = []

    init(inSize: Int, outSize: Int, filter: ResampleFilter) {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let inverse = 1.0 / filterScale
        let one = Double(1 << Self.precisionBits)
        for position in 0..<outSize {
            let center = (Double(position) + 0.5) * scale
            let first = max(0, Int(center - support + 0.5))       // C truncation, as PIL
            let end = min(inSize, Int(center + support + 0.5))
            var raw = [Double]()
            raw.reserveCapacity(max(0, end - first))
            var total = 0.0
            for index in first..<max(first, end) {
                let w = filter.weight((Double(index) - center + 0.5) * inverse)
                raw.append(w)
                total += w
            }
            let fixed = raw.map { w -> Int32 in
                let normalised = total != 0.0 ? w / total : w
                return Int32(normalised < 0 ? -0.5 + normalised * one : 0.5 + normalised * one)
            }
            start.append(first)
            count.append(fixed.count)
            weights.append(fixed)
        }
    }

    @inline(__always)
    static func clip(_ sum: Int) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }
}

private let roundingHalf = 1 << (FixedPointKernel.precisionBits - 1)

private func horizontalPass(_ pixels: [UInt8], inWidth: Int, rows: Range<Int>,
                            kernel: FixedPointKernel) -> [UInt8] {
    let outWidth = kernel.start.count
    var out = [UInt8](repeating: 0, count: outWidth * rows.count * 3)
    pixels.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for (outRow, row) in rows.enumerated() {
                let rowBase = row * inWidth * 3
                for x in 0..<outWidth {
                    let first = kernel.start[x]
                    var r = roundingHalf, g = roundingHalf, b = roundingHalf
                    for (i, w) in kernel.weights[x].enumerated() {
                        let p = rowBase + (first + i) * 3
                        let weight = Int(w)
                        r += Int(src[p]) * weight
                        g += Int(src[p + 1]) * weight
                        b += Int(src[p + 2]) * weight
                    }
                    let o = (outRow * outWidth + x) * 3
                    dst[o] = FixedPointKernel.clip(r)
                    dst[o + 1] = FixedPointKernel.clip(g)
                    dst[o + 2] = FixedPointKernel.clip(b)
                }
            }
        }
    }
    return out
}

private func verticalPass(_ pixels: [UInt8], width: Int, rowOffset: Int,
                          kernel: FixedPointKernel) -> [UInt8] {
    let outHeight = kernel.start.count
    let stride = width * 3
    var out = [UInt8](repeating: 0, count: stride * outHeight)
    pixels.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<outHeight {
                let first = kernel.start[y] - rowOffset
                let weights = kernel.weights[y]
                for column in 0..<stride {
                    var sum = roundingHalf
                    for (i, w) in weights.enumerated() {
                        sum += Int(src[(first + i) * stride + column]) * Int(w)
                    }
                    dst[y * stride + column] = FixedPointKernel.clip(sum)
                }
            }
        }
    }
    return out
}
