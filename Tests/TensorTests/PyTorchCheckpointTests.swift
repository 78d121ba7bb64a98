import Foundation
import XCTest
@testable import Tensor

/// Files written by torch itself (Tests/Fixtures/pytorch/make_fixtures.py), compared with torch's
/// own reading of them (expected.json), plus the malformed files a user might hand facecap.
final class PyTorchCheckpointTests: XCTestCase {
    static let folder = Fixtures.folder.deletingLastPathComponent().appendingPathComponent("pytorch")
    private func fixture(_ name: String) -> String { Self.folder.appendingPathComponent(name).path }

    private var expected: [String: Any] {
        get throws {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent("expected.json"))
            return try JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
    }

    private func assertMatchesTorch(_ file: PyTorchCheckpoint, _ key: String, line: UInt = #line) throws {
        let reference = try expected[key] as! [String: [String: Any]]
        for (name, entry) in reference {
            let shape = (entry["shape"] as! [NSNumber]).map(\.intValue)
            let values = (entry["values"] as! [NSNumber]).map(\.floatValue)
            switch entry["dtype"] as! String {
            case "int64":
                XCTAssertEqual(file.unsupported[name], "I64", name, line: line)
            default:
                let view = try file.tensor(named: name)
                XCTAssertEqual(view.shape, shape, name, line: line)
                XCTAssertEqual(view.floats(), values, name, line: line)
            }
        }
        XCTAssertEqual(Set(file.names), Set(reference.keys), line: line)
    }

    func testTrainingCheckpointMatchesTorch() throws {
        let file = try PyTorchCheckpoint(path: fixture("training.pth"))
        XCTAssertEqual(file.archiveFolder, "training")
        try assertMatchesTorch(file, "training.pth")
        XCTAssertEqual(try file.tensor(named: "encoder.half").dtype, .f16)
        XCTAssertEqual(try file.tensor(named: "encoder.bf16").dtype, .bf16)
        XCTAssertEqual(try file.tensor(named: "row").floats(), [0.5, 0.625, 0.75, 0.875])
        // Tied names share one storage: the same bytes, not copies.
        XCTAssertEqual(try file.tensor(named: "embed_tokens.weight").data, try file.tensor(named: "lm_head.weight").data)
        // The optimizer and config load as data beside the model.
        XCTAssertEqual(file.root["epoch"].map(String.init(describing:)), "3")
        guard case .float(let lr)? = file.root["config"]?["lr"] else { return XCTFail("config.lr is not a float") }
        XCTAssertEqual(lr, 1.5e-4)
        XCTAssertNotNil(file.root["optimizer"]?["state"])
        // The tensors are read in place from the mapping.
        let view = try file.tensor(named: "encoder.weight")
        let base = file.file.bytes.baseAddress!
        XCTAssertTrue(view.data >= base && view.data < base + file.file.count)
        assertInputError(try file.tensor(named: "embeddings.position_ids"), path: file.path, mentions: ["position_ids", "I64"])
    }

    func testBareStateDictAndStateDictKey() throws {
        let bare = try PyTorchCheckpoint(path: fixture("bare.pt"))
        XCTAssertEqual(bare.archiveFolder, "bare")
        try assertMatchesTorch(bare, "bare.pt")
        let wrapped = try PyTorchCheckpoint(path: fixture("state_dict.pth"))
        XCTAssertEqual(wrapped.names, ["module.fc.weight"])  // prefixes are the caller's business
        XCTAssertEqual(try wrapped.tensor(named: "module.fc.weight").floats(), [1, 0, 0, 1])
    }

    func testOtherGlobalsStayInertAndNothingRuns() throws {
        let marker = "/tmp/facecap-pickle-was-executed"
        try? FileManager.default.removeItem(atPath: marker)
        let file = try PyTorchCheckpoint(path: fixture("globals.pth"))
        XCTAssertEqual(try file.tensor(named: "weight").floats(), [3, 3])
        XCTAssertTrue(file.globals.contains("posix.system") || file.globals.contains("os.system"), "\(file.globals)")
        XCTAssertTrue(file.globals.contains("argparse.Namespace"))
        guard case .object(let hook)? = file.root["hook"] else { return XCTFail("hook is not a placeholder") }
        XCTAssertTrue("\(hook.callable)".hasSuffix(".system"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testOpensByContentThroughTheProtocol() throws {
        let file = try CheckpointFiles.open(path: fixture("bare.pt"))
        XCTAssertTrue(file is PyTorchCheckpoint)
        XCTAssertEqual(file.names, ["a", "b"])
    }

    // MARK: bad input: one clear line each

    func testNonContiguousIsRefused() {
        assertInputError(try PyTorchCheckpoint(path: fixture("noncontiguous.pth")), path: fixture("noncontiguous.pth"),
                         mentions: ["tensor w", "strides [1, 3]", "not contiguous"])
    }

    func testLegacyFormatSaysHowToResave() {
        assertInputError(try CheckpointFiles.open(path: fixture("legacy.pth")), path: fixture("legacy.pth"),
                         mentions: ["legacy torch.save", "before 1.6", "torch.save(torch.load("])
    }

    func testDeflatedEntryIsRefused() {
        assertInputError(try PyTorchCheckpoint(path: fixture("deflated.pth")), path: fixture("deflated.pth"),
                         mentions: ["deflate-compressed", "stored"])
    }

    func testMissingStorageEntry() {
        assertInputError(try PyTorchCheckpoint(path: fixture("missing_storage.pth")), path: fixture("missing_storage.pth"),
                         mentions: ["tensor encoder.half", "storage 1", "training/data/1"])
    }

    func testTensorLargerThanItsStorage() {
        assertInputError(try PyTorchCheckpoint(path: fixture("short_storage.pth")), path: fixture("short_storage.pth"),
                         mentions: ["tensor row", "elements 4..<8 of storage 4", "holds 6"])
    }

    func testEveryTruncationFailsCleanly() throws {
        let scratch = try Scratch()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("training.pth"))))
        for length in stride(from: 0, to: bytes.count, by: 97) + [bytes.count - 1] {
            let path = try scratch.write(Array(bytes[..<length]), to: "cut-\(length).pth")
            XCTAssertThrowsError(try CheckpointFiles.open(path: path), "\(length) bytes") { error in
                guard let error = error as? InputError else { return XCTFail("\(error) is not an InputError") }
                XCTAssertEqual(error.path, path)
                XCTAssertFalse(error.problem.contains("\n"))
            }
        }
    }

    func testCorruptPickleBytesNeverCrash() throws {
        // Flip bytes inside data.pkl: every outcome must be a load or an InputError.
        let scratch = try Scratch()
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("training.pth"))))
        let file = try PyTorchCheckpoint(path: fixture("training.pth"))
        let start = file.descriptionBytes.baseAddress! - file.file.bytes.baseAddress!
        var state: UInt64 = 0x9E37_79B9
        for trial in 0..<200 {
            var bytes = original
            for _ in 0..<3 {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                bytes[start + Int(state % UInt64(file.descriptionBytes.count))] = UInt8(truncatingIfNeeded: state >> 32)
            }
            let path = try scratch.write(bytes, to: "flip-\(trial).pth")
            do { _ = try CheckpointFiles.open(path: path) } catch is InputError {} catch { XCTFail("\(error)") }
        }
    }
}
