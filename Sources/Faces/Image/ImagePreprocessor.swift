/// RGB pixels to the `pixel_values` a vision encoder takes: resize, rescale, normalise, CHW float32.
///
/// Which Python code this matches, and why: in transformers 5.23 the name `BlipImageProcessor` is the
/// *torchvision* backend (torch's antialiased interpolation on tensors, rounded once at the end:
/// close to PIL but not bit-identical)
/// and `BlipImageProcessorPil` the PIL backend; `AutoImageProcessor.from_pretrained` on a folder whose
/// preprocessor_config.json says `"image_processor_type": "BlipImageProcessor"` picks torchvision
/// when torchvision is importable and the PIL backend otherwise (`_resolve_backend` in
/// models/auto/image_processing_auto.py). This project's Python environment (Training/, the parity
/// fixtures) has no torchvision, so it uses `BlipImageProcessorPil`; the LAVIS code the Exp-BLIP
/// checkpoints were trained with also resizes PIL images with PIL bicubic. So we match the PIL
/// backend: PIL `Image.resize(resample=3)` on uint8 RGB, then float64 `x * rescale_factor` cast to
/// float32, then float32 `(x - mean) / std`.
public struct ImagePreprocessor: Sendable {
    public let config: PreprocessorConfig

    public init(config: PreprocessorConfig) {
        self.config = config
    }

    /// The size `pixelValues` produces for an image of the given size.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        guard config.doResize else { return (width, height) }
        switch config.size {
        case let .exact(w, h):
            return (w, h)
        case let .shortestEdge(edge):
            // transformers' get_resize_output_image_size(default_to_square=False): the long side
            // is truncated, not rounded.
            if width <= height {
                return (edge, Int(Double(edge) * Double(height) / Double(width)))
            }
            return (Int(Double(edge) * Double(width) / Double(height)), edge)
        }
    }

    /// `3 * height * width` floats, channel-major (all R, then all G, then all B), rows top-down.
    public func pixelValues(_ image: RGBImage) -> [Float] {
        let target = outputSize(width: image.width, height: image.height)
        let resized = config.doResize
            ? resize(image, width: target.width, height: target.height, filter: config.resample)
            : image
        let plane = resized.width * resized.height
        let scale = config.rescaleFactor
        let mean = config.imageMean.map(Float.init)
        let std = config.imageStd.map(Float.init)
        var values = [Float](repeating: 0, count: plane * 3)
        resized.pixels.withUnsafeBufferPointer { rgb in
            for channel in 0..<3 {
                for i in 0..<plane {
                    let byte = rgb[i * 3 + channel]
                    var x = config.doRescale ? Float(Double(byte) * scale) : Float(byte)
                    if config.doNormalize { x = (x - mean[channel]) / std[channel] }
                    values[channel * plane + i] = x
                }
            }
        }
        return values
    }
}
