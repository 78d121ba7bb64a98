import Foundation
import Tensor
import XCTest
@testable import Faces

final class DatasetReaderTests: XCTestCase {
    func testImageFolderIsRecursiveNaturallySortedAndSkipsWhatItCannotRead() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("image_folder"))
        XCTAssertEqual(dataset.layout, .imageFolder)
        XCTAssertEqual(dataset.name, "image_folder")
        XCTAssertEqual(dataset.items.map(\.id), ["img2.png", "img9.png", "img10.png", "photo.jpg", "Sub/a.png"])
        XCTAssertTrue(dataset.items.allSatisfy { $0.labels == nil })
        XCTAssertEqual(dataset.items[0].source, .file(DatasetFixtures.url("image_folder/img2.png")))
        XCTAssertEqual(dataset.warnings.sorted(), ["1 JPEG images left out for the PNG beside each (e.g. img9.jpg)",
                                                   "1 images skipped (facecap reads PNG and JPEG; e.g. scan.bmp)"])
    }

    func testFolderPerClassMapsFolderNamesToCanonicalEmotions() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("per_class"))
        XCTAssertEqual(dataset.layout, .folderPerClass)
        let byID = Dictionary(uniqueKeysWithValues: dataset.items.map { ($0.id, $0.labels?.emotion) })
        XCTAssertEqual(byID["happy/1.png"], "happiness")
        XCTAssertEqual(byID["Sad/2.png"], "sadness")
        XCTAssertEqual(byID["surprised/3.png"], "surprise")
        XCTAssertEqual(byID["train/fearful/4.png"], "fear")
        XCTAssertEqual(byID["train/Disgust/5.png"], "disgust")
        XCTAssertEqual(byID["contempt/6.png"], "contempt")
        XCTAssertEqual(byID["neutral/7.png"], "neutral")
        XCTAssertEqual(byID["angry/8.png"], "anger")
        XCTAssertEqual(byID["misc/9.png"], .some(nil))
        XCTAssertEqual(dataset.warnings, ["1 images outside emotion-named folders have no label"])
    }

    func testFacecapLabelsCSV() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("labels_csv"))
        XCTAssertEqual(dataset.layout, .facecapLabels)
        XCTAssertEqual(dataset.items.map(\.id), ["faces/0001.png", "0002.png", "0003.png", "0005.png", "twin.png"])
        let labels = dataset.items.map(\.labels)
        XCTAssertEqual(labels[0], FaceLabels(emotion: "happiness", actionUnits: [
            ActionUnitLabel(number: 6, intensity: 3), ActionUnitLabel(number: 12, intensity: 4)]))
        XCTAssertEqual(labels[1], FaceLabels(emotion: "fear and surprise",
                                             actionUnits: [1, 2, 5, 26].map { ActionUnitLabel(number: $0) }))
        XCTAssertEqual(labels[2], FaceLabels(emotion: "happiness", actionUnits: [
            ActionUnitLabel(number: 6), ActionUnitLabel(number: 12, intensity: 3)]))
        XCTAssertNil(labels[3], "a row with no emotion and no AUs is unlabelled")
        XCTAssertEqual(labels[4]?.emotion, "neutral")
        XCTAssertEqual(dataset.provenance, ["faces/0001.png": "synthetic, seed 1"])

        let warnings = dataset.warnings.joined(separator: "\n")
        XCTAssertTrue(warnings.contains("labels.csv:5: unknown emotion \"joyful\""), warnings)
        XCTAssertTrue(warnings.contains("labels.csv:6: bad intensity"), warnings)
        XCTAssertTrue(warnings.contains("labels.csv:10: 0002.png is listed again"), warnings)
        XCTAssertTrue(warnings.contains("1 listed images not found (e.g. missing.png)"), warnings)
    }

    func testFER2013InlineGreyFacesAndMalformedRow() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("fer2013"))
        XCTAssertEqual(dataset.layout, .fer2013)
        XCTAssertEqual(dataset.items.map(\.id), ["fer2013.csv#2", "fer2013.csv#4"])
        XCTAssertEqual(dataset.items.map { $0.labels?.emotion }, ["happiness", "neutral"])
        XCTAssertEqual(dataset.provenance["fer2013.csv#4"], "PrivateTest")
        guard case .inlineGrey(let width, let height, let pixels) = dataset.items[0].source else {
            return XCTFail("FER2013 faces are inline")
        }
        XCTAssertEqual([width, height], [48, 48])
        // make_fixtures.py writes pixel i of row seed s as (s * 13 + i) % 256.
        XCTAssertEqual(pixels, (0..<2304).map { UInt8((13 + $0) % 256) })
        XCTAssertEqual(dataset.warnings.count, 1)
        XCTAssertTrue(dataset.warnings[0].hasPrefix("fer2013.csv:3: 5 pixel values do not form a square"),
                      dataset.warnings[0])

        // Opening the CSV itself gives the same items.
        let direct = try FaceDataset.open(DatasetFixtures.url("fer2013/fer2013.csv"))
        XCTAssertEqual(direct.items, dataset.items)
    }

    func testRAFDBPrefersAlignedFallsBackToOriginalAndReportsTheRest() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("rafdb"))
        XCTAssertEqual(dataset.layout, .rafDB)
        XCTAssertEqual(dataset.items.map(\.id), ["Image/aligned/train_00001_aligned.png", "Image/original/train_00002.png",
                                                 "Image/aligned/test_0001_aligned.jpg"])
        XCTAssertEqual(dataset.items.map { $0.labels?.emotion }, ["sadness", "happiness", "surprise"])
        XCTAssertEqual(dataset.warnings, ["list_patition_label.txt:5: expected \"IMAGE LABEL\" with a label 1-7",
                                          "1 listed images not found (e.g. test_0002.jpg)"])
    }

    func testAffectNetListsAndNoEmotionCodes() throws {
        let dataset = try FaceDataset.open(DatasetFixtures.url("affectnet"))
        XCTAssertEqual(dataset.layout, .affectNet)
        XCTAssertEqual(dataset.items.map(\.id), ["Manually_Annotated_Images/689/abc.png",
                                                 "Manually_Annotated_Images/12/def.png",
                                                 "Manually_Annotated_Images/12/ghi.png",
                                                 "Manually_Annotated_Images/12/jkl.jpg",
                                                 "Manually_Annotated_Images/12/mno.png"])
        XCTAssertEqual(dataset.items.map { $0.labels?.emotion }, ["contempt", nil, "surprise", "happiness", "sadness"])
        XCTAssertEqual(dataset.warnings, ["training.csv:4: expected an image path and an expression 0-10",
                                          "1 images skipped (facecap reads PNG and JPEG; e.g. Manually_Annotated_Images/12/pqr.bmp)"])

        let direct = try FaceDataset.open(DatasetFixtures.url("affectnet/Manually_Annotated_file_lists/training.csv"))
        XCTAssertEqual(direct.root, dataset.root)
        XCTAssertEqual(direct.items.count, 2)
    }

    func testMissingDatasetIsAnInputError() {
        let url = DatasetFixtures.url("no-such-dataset")
        XCTAssertThrowsError(try FaceDataset.open(url)) { error in
            XCTAssertEqual(error as? InputError, InputError(url.path, "no such file or folder"))
        }
    }

    func testUnreadableLabelsFileIsAnInputError() throws {
        let folder = try DatasetFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = folder.appendingPathComponent("labels.csv")
        #if os(Linux)
        // Permissions do not stop root, so point labels.csv at a regular file whose read fails (EIO).
        try FileManager.default.createSymbolicLink(atPath: labels.path, withDestinationPath: "/proc/self/mem")
        #else
        try Data("file\n".utf8).write(to: labels)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: labels.path)
        #endif
        XCTAssertThrowsError(try FaceDataset.open(folder)) { error in
            XCTAssertEqual((error as? InputError)?.path, labels.path)
            XCTAssertTrue((error as? InputError)?.problem.hasPrefix("cannot read labels file") == true, "\(error)")
        }
    }

    func testLabelsCSVWithoutFileColumnIsAnInputError() throws {
        let folder = try DatasetFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("name,emotion\na.png,happy\n".utf8).write(to: folder.appendingPathComponent("labels.csv"))
        XCTAssertThrowsError(try FaceDataset.open(folder)) { error in
            XCTAssertTrue((error as? InputError)?.problem.contains("no `file` column") == true, "\(error)")
        }
    }

    func testUnknownCSVOpenedDirectlyIsAnInputError() throws {
        let folder = try DatasetFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("scores.csv")
        try Data("a,b\n1,2\n".utf8).write(to: csv)
        XCTAssertThrowsError(try FaceDataset.open(csv)) { error in
            XCTAssertTrue((error as? InputError)?.problem.hasPrefix("unrecognised CSV header") == true, "\(error)")
        }
    }

    func testManyMalformedLinesAreCappedWithACount() throws {
        let folder = try DatasetFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "emotion,pixels,Usage\n"
        for _ in 0..<50 { text += "9,1 2 3 4,Training\n" }
        try Data(text.utf8).write(to: folder.appendingPathComponent("fer.csv"))
        let dataset = try FaceDataset.open(folder)
        XCTAssertEqual(dataset.items.count, 0)
        XCTAssertEqual(dataset.warnings.count, DatasetWarnings.lineWarningLimit + 1)
        XCTAssertEqual(dataset.warnings.last, "30 more malformed lines not shown")
    }

    func testEmptyFolderHasNoItemsAndSaysSo() throws {
        let folder = try DatasetFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = try FaceDataset.open(folder)
        XCTAssertTrue(dataset.items.isEmpty)
        XCTAssertEqual(dataset.warnings, ["no PNG or JPEG images found"])
    }
}
