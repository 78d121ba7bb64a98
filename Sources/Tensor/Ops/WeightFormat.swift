/// How a model's language-model weights are held in memory.
/// - `native`: as stored in the checkpoint (F32, BF16 or F16; small models widened to F32 at load).
/// - `q8`: 8-bit integers in blocks of 32 with one F16 scale each (llama.cpp's Q8_0), made at load:
///   about half the bytes of BF16 to read per decoded token, at a small cost in agreement.
public enum WeightFormat: String, Codable, CaseIterable, Sendable {
    case native
    case q8
}
