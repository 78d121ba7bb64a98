import Faces
import Foundation
import Tensor
import XCTest
@testable import CaptionStore

final class ShardTests: XCTestCase {
    func testParsing() throws {
        XCTAssertEqual(try Shard(parsing: "3/8"), try Shard(index: 3, of: 8))
        XCTAssertEqual(try Shard(parsing: " 1/1 ").description, "1/1")
        for bad in ["3/2", "0/4", "5/4", "-1/4", "1/0", "a/b", "1/", "/2", "1/2/3", "2"] {
            XCTAssertThrowsError(try Shard(parsing: bad), bad) { error in
                XCTAssertEqual((error as? InputError)?.path, "--shard", bad)
            }
        }
    }

    private let ids = (1...1000).map { "faces/img\($0).png" }

    func testShardsPartitionTheItemsExactly() throws {
        for count in [1, 2, 3, 7] {
            let shards = try (1...count).map { try Shard(index: $0, of: count) }
            var seen: [String: Int] = [:]
            for shard in shards {
                for id in ids where shard.contains(id) { seen[id, default: 0] += 1 }
            }
            XCTAssertEqual(Set(seen.keys), Set(ids), "union is everything for \(count) shards")
            XCTAssertTrue(seen.values.allSatisfy { $0 == 1 }, "disjoint for \(count) shards")
        }
    }

    func testShardsAreBalancedAndIndependentOfOrder() throws {
        let items = ids.map { FaceItem(id: $0, source: .file(URL(fileURLWithPath: "/d/\($0)"))) }
        let shards = try (1...4).map { try Shard(index: $0, of: 4) }
        for shard in shards {
            let selected = shard.select(items)
            XCTAssertTrue((200...300).contains(selected.count), "\(shard) has \(selected.count) of 1000")
            let fromShuffled = Set(shard.select(items.shuffled()).map(\.id))
            XCTAssertEqual(fromShuffled, Set(selected.map(\.id)))
            XCTAssertEqual(selected.map(\.id), ids.filter { shard.contains($0) }, "keeps listing order")
        }
    }

    /// The assignment must not change between releases or machines, or merging shards from different
    /// runs would miss items: pin it to SHA-256 computed independently (Python hashlib):
    ///   int(hashlib.sha256(b"faces/img1.png").hexdigest()[:16], 16) % 4 + 1
    func testAssignmentIsPinnedToSHA256() {
        XCTAssertEqual(Shard.number(of: "faces/img1.png", count: 4), ShardTests.pythonShardOfImg1)
        XCTAssertEqual(Shard.number(of: "faces/img2.png", count: 7), ShardTests.pythonShardOfImg2)
    }
}

extension ShardTests {
    // From the Python one-liner in testAssignmentIsPinnedToSHA256's comment.
    static let pythonShardOfImg1 = 4
    static let pythonShardOfImg2 = 5
}
