import Faces
import Foundation
import Tensor
import XCTest

final class PreprocessingTests: XCTestCase {
    private struct Case {
        let source: String, resized: String, pixelValues: String
        let shape: [Int]
        let config: PreprocessorConfig
    }

    private func cases() throws -> [Case] {
        let manifest = try XCTUnwrap(ImageFixtures.json("preprocess/manifest.json") as? [String: Any])
        let entries = try XCTUnwrap(manifest["cases"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(entries.count, 4)
        return try entries.map { entry in
            // The very config transformers was given, decoded by our reader.
            let configJSON = try JSONSerialization.data(withJSONObject: try XCTUnwrap(entry["config"]))
            return Case(source: try XCTUnwrap(entry["source"] as? String),
                        resized: try XCTUnwrap(entry["resized"] as? String),
                        pixelValues: try XCTUnwrap(entry["pixel_values"] as? String),
                        shape: try XCTUnwrap(entry["shape"] as? [Int]),
                        config: try JSONDecoder().decode(PreprocessorConfig.self, from: configJSON))
        }
    }

    func testResizeMatchesPILExactly() throws {
        for c in try cases() {
            let image = try PNGDecoder.decode(contentsOf: ImageFixtures.url("preprocess/\(c.source)"))
            let resized = resizeBicubic(image, width: c.shape[2], height: c.shape[1])
            let expected = try ImageFixtures.bytes("preprocess/\(c.resized)")
            XCTAssertNil(firstDifference(resized.pixels, expected, width: resized.width), c.resized)
        }
    }

    func testPixelValuesMatchTransformers() throws {
        var worst: Float = 0
        for c in try cases() {
            let image = try PNGDecoder.decode(contentsOf: ImageFixtures.url("preprocess/\(c.source)"))
            let preprocessor = ImagePreprocessor(config: c.config)
            let size = preprocessor.outputSize(width: image.width, height: image.height)
            XCTAssertEqual([3, size.height, size.width], c.shape, c.pixelValues)
            let ours = preprocessor.pixelValues(image)
            let theirs = try ImageFixtures.floats("preprocess/\(c.pixelValues)")
            XCTAssertEqual(ours.count, theirs.count, c.pixelValues)
            let error = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(error, 1e-4, c.pixelValues)
            worst = max(worst, error)
        }
        print("pixel_values max abs error vs transformers: \(worst)")
    }

    func testConstantImageStaysConstant() {
        // Normalised weights: any resize of a flat colour is that colour, up or down.
        let flat = RGBImage(width: 13, height: 7, pixels: Array(repeating: [200, 3, 77], count: 91).flatMap { $0 })
        for (w, h) in [(5, 3), (40, 9), (13, 30), (1, 1)] {
            let out = resizeBicubic(flat, width: w, height: h)
            XCTAssertEqual(out.pixels, Array(repeating: [200, 3, 77], count: w * h).flatMap { $0 }, "\(w)x\(h)")
        }
        XCTAssertEqual(resizeBicubic(flat, width: 13, height: 7), flat)
    }

    func testConfigDefaultsAreBlipImageProcessors() throws {
        let config = try JSONDecoder().decode(PreprocessorConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(config.size, .exact(width: 384, height: 384))
        XCTAssertEqual(config.resample, .bicubic)
        XCTAssertEqual(config.rescaleFactor, 1.0 / 255.0)
        XCTAssertEqual(config.imageMean, [0.48145466, 0.4578275, 0.40821073])
        XCTAssertEqual(config.imageStd, [0.26862954, 0.26130258, 0.27577711])
        XCTAssertTrue(config.doResize && config.doRescale && config.doNormalize && config.doConvertRGB)
    }

    func testConfigAsShippedWithBlip2() throws {
        // Salesforce/blip2-opt-2.7b's preprocessor_config.json, keys and all.
        let json = """
        {"do_convert_rgb": true, "do_normalize": true, "do_rescale": true, "do_resize": true,
         "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "BlipImageProcessor",
         "image_std": [0.26862954, 0.26130258, 0.27577711], "processor_class": "Blip2Processor",
         "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}}
        """
        let config = try JSONDecoder().decode(PreprocessorConfig.self, from: Data(json.utf8))
        XCTAssertEqual(config.size, .exact(width: 224, height: 224))
        XCTAssertEqual(config.rescaleFactor, 0.00392156862745098)
        let legacy = try JSONDecoder().decode(PreprocessorConfig.self, from: Data(#"{"size": 224, "image_mean": 0.5, "do_normalize": false}"#.utf8))
        XCTAssertEqual(legacy.size, .exact(width: 224, height: 224))
        XCTAssertEqual(legacy.imageMean, [0.5, 0.5, 0.5])
        XCTAssertFalse(legacy.doNormalize)
    }

    func testBadConfigIsAnInputError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [
            (#"{"resample": 0}"#, "invalid preprocessor config: resample: resample 0 is not supported (1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)"),
            (#"{"image_std": [1, 0, 1]}"#, "invalid preprocessor config: image_std: image_std must not contain 0"),
            (#"{"image_mean": [1, 2]}"#, "invalid preprocessor config: image_mean: image_mean needs 3 values, got 2"),
            (#"{"size": {"height": 0, "width": 5}}"#, "invalid preprocessor config: size: size must be positive"),
            (#"{"size": {"longest_edge": 5}}"#, "invalid preprocessor config: size: size must be {height, width} or {shortest_edge}"),
        ]
        for (json, problem) in cases {
            let url = folder.appendingPathComponent("preprocessor_config.json")
            try Data(json.utf8).write(to: url)
            XCTAssertThrowsError(try PreprocessorConfig.load(contentsOf: url)) { error in
                XCTAssertEqual(error as? InputError, InputError(url.path, problem))
            }
        }
        let garbage = folder.appendingPathComponent("garbage.json")
        try Data("not json".utf8).write(to: garbage)
        XCTAssertThrowsError(try PreprocessorConfig.load(contentsOf: garbage)) { XCTAssertTrue($0 is InputError) }
    }

    func testWithoutRescaleOrNormalizeValuesAreRawBytes() throws {
        var config = PreprocessorConfig()
        config.doResize = false
        config.doRescale = false
        config.doNormalize = false
        let image = RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(ImagePreprocessor(config: config).pixelValues(image), [1, 4, 2, 5, 3, 6])
    }
}
