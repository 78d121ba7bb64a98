import Foundation
import Tensor
import XCTest
@testable import Faces

final class DatasetPartsTests: XCTestCase {
    func testNaturalOrder() {
        let names = ["img10.png", "IMG1.png", "img2.png", "img02.png", "b.png", "a10b2", "a10b10", "a9"]
        XCTAssertEqual(names.sorted(by: naturallyOrdered),
                       ["a9", "a10b2", "a10b10", "b.png", "IMG1.png", "img02.png", "img2.png", "img10.png"])
        XCTAssertFalse(naturallyOrdered("x", "x"))
    }

    func testCSVQuotingLineBreaksAndBOM() {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3"
        var records: [CSVRecord] = []
        forEachCSVRecord(Data(text.utf8)) { records.append($0) }
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 5])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
    }

    func testCSVUnterminatedQuoteIsReported() {
        var records: [CSVRecord] = []
        forEachCSVRecord(Data("a,b\n1,\"open\n".utf8)) { records.append($0) }
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[1].problem, "unterminated quoted field")
    }

    func testEmotionLabelsAndCompounds() {
        XCTAssertEqual(Emotion(label: " Happy "), .happiness)
        XCTAssertEqual(Emotion(label: "SURPRISED"), .surprise)
        XCTAssertNil(Emotion(label: "joy"), "dataset labels take the canonical words and adjectives only")
        XCTAssertEqual(Emotion.parseCompound("fear and surprise"), [.fear, .surprise])
        XCTAssertEqual(Emotion.parseCompound("disgust+happy"), [.disgust, .happiness])
        XCTAssertNil(Emotion.parseCompound("fear and joy"))
        XCTAssertEqual(FaceLabels(emotion: "fear and surprise").emotions, [.fear, .surprise])
    }

    func testActionUnitCell() throws {
        let parsed = try FacecapLabelsReader.parseActionUnits("1:2.5  2:3+26:E au4").get()
        XCTAssertEqual(parsed, [ActionUnitLabel(number: 1, intensity: 2.5), ActionUnitLabel(number: 2, intensity: 3),
                                ActionUnitLabel(number: 26, intensity: 5), ActionUnitLabel(number: 4)])
        XCTAssertEqual(try FacecapLabelsReader.parseActionUnits("").get(), [])
        for bad in ["0", "100", "x", "1:6", "1:F", "1:2:3", "12 12", "1:"] {
            XCTAssertThrowsError(try FacecapLabelsReader.parseActionUnits(bad).get(), bad)
        }
    }

    func testGreyToRGBAndLoadImage() throws {
        let image = try RGBImage(grey: [0, 128, 255, 7], width: 2, height: 2)
        XCTAssertEqual(image.pixels, [0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7])
        XCTAssertThrowsError(try RGBImage(grey: [1, 2, 3], width: 2, height: 2))

        let inline = FaceItem(id: "f.csv#2", source: .inlineGrey(width: 1, height: 1, pixels: [9]))
        XCTAssertEqual(try inline.loadImage { _ in XCTFail("inline faces need no decoder"); throw InputError("", "") },
                       RGBImage(width: 1, height: 1, pixels: [9, 9, 9]))
        let broken = FaceItem(id: "f.csv#3", source: .inlineGrey(width: 2, height: 2, pixels: [9]))
        XCTAssertThrowsError(try broken.loadImage { _ in throw InputError("", "") }) { error in
            XCTAssertEqual((error as? InputError)?.path, "f.csv#3")
        }
        let file = FaceItem(id: "a.png", source: .file(URL(fileURLWithPath: "/x/a.png")))
        let decoded = try file.loadImage { url in
            XCTAssertEqual(url.path, "/x/a.png")
            return RGBImage(width: 1, height: 1, pixels: [1, 2, 3])
        }
        XCTAssertEqual(decoded.pixels, [1, 2, 3])
    }
}
