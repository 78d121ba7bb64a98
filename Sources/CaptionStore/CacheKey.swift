import Captioning
import Foundation

/// The decoding-settings part of a cache key: `DecodingSettings` as JSON with sorted keys, so the same
/// settings always give the same text, and any field that changes decoding changes the key. The JSON
/// itself is the key (not a hash of it): a couple of hundred bytes per row, readable in `sqlite3`,
/// and no collision to reason about. A field added to DecodingSettings later changes every key,
/// which costs one recomputation and can never serve a caption made under different settings.
enum CacheKey {
    static func settingsJSON(_ settings: DecodingSettings) throws -> String {
        try json(settings)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
