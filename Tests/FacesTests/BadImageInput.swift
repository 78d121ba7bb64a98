import Faces
import Tensor
import XCTest

extension XCTestCase {
    /// The InputError a decode of bad input throws; a decoded image or another error fails the test.
    func problem(_ body: () throws -> RGBImage, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            let image = try body()
            XCTFail("decoded a \(image.width)x\(image.height) image from bad input", file: file, line: line)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            XCTFail("threw \(error), not InputError", file: file, line: line)
            return nil
        }
    }
}

/// `copies` of `good`, each with 3 bytes flipped at places drawn from a fixed-seed LCG: the same damage
/// on every run, so a failure can be replayed.
func seededDamage(_ good: [UInt8], copies: Int) -> [[UInt8]] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<copies).map { _ in
        var damaged = good
        for _ in 0..<3 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            damaged[Int(state >> 33) % damaged.count] ^= UInt8(truncatingIfNeeded: state >> 13) | 1
        }
        return damaged
    }
}
