import Foundation
import Tensor

/// Reads a JSON file into a Decodable, turning every failure into one line that names the file
/// and, for decoding errors, the key that was wrong.
enum JSONFile {
    static func decode<T: Decodable>(_ url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(url.path, FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw InputError(url.path, "wrong type at \(keyPath(context.codingPath))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(url.path, "missing key \(keyPath(context.codingPath + [key]))")
        } catch let DecodingError.dataCorrupted(context) {
            let key = keyPath(context.codingPath)
            throw InputError(url.path, key.isEmpty ? "not valid JSON" : "bad value at \(key)")
        } catch {
            throw InputError(url.path, "not valid JSON")
        }
    }

    static func keyPath(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
