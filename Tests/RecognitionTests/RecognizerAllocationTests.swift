import CAllocationCounter
import CBLAS
import Faces
import XCTest
@testable import Recognition

/// Workspaces are sized at load: recognising 16 distinct frames allocates no more than recognising one
/// (frames already at the model's input size, so the resize is a no-op). OpenBLAS runs on one thread
/// here: its own thread pool allocates when larger products are split across threads, which is the
/// library's business, not a per-frame allocation of ours.
final class RecognizerAllocationTests: XCTestCase {
    func testNoAllocationPerFrame() throws {
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url("tiny-f32").path)
        let size = recognizer.config.vision.imageSize
        let frames = (0..<16).map { f in
            RGBImage(width: size, height: size, pixels: (0..<(size * size * 3)).map { UInt8(($0 * 7 + f * 13) % 256) })
        }
        func allocations(_ distinct: Int) -> Int {
            let images = Array(frames.prefix(distinct))
            let order = (0..<16).map { min($0, distinct - 1) }
            allocation_counter_start()
            let result = recognizer.recognize(images: images, order: order, frameIndices: order)
            let count = allocation_counter_stop()
            XCTAssertEqual(result.probs.count, 7)
            return count
        }
        let threads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        _ = allocations(16)  // warm lazy runtime state
        let one = allocations(1), sixteen = allocations(16)
        XCTAssertEqual(sixteen, one, "\(sixteen - one) extra allocations for 15 more frames")
    }
}
