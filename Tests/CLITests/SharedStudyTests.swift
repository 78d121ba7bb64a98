import Foundation
import XCTest

/// A study shared by raters who log in as different Unix users on one host (the paper had nine):
/// one study file in a group-writable folder, rater ids from the login names, a rater list that
/// keeps others out, and two real users rating the same study at the same time.
final class SharedStudyTests: XCTestCase {
    func testTwoUnixUsersRateOneSharedStudyAtOnce() throws {
        let group = UnixUsers.uniqueName("fcg"), alice = UnixUsers.uniqueName("fca"), bob = UnixUsers.uniqueName("fcb")
        try UnixUsers.make(group: group, users: [alice, bob], for: self)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-shared-\(UUID().uuidString)")
        let shared = root.appendingPathComponent("studies"), data = root.appendingPathComponent("faces")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        try FileManager.default.copyItem(at: FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv"), to: data)
        try UnixUsers.command("/usr/bin/chmod", ["-R", "a+rX", data.path])
        // The README's recipe: a folder of the raters' group, group-writable and set-group-ID.
        try UnixUsers.command("/usr/bin/chgrp", [group, shared.path])
        try UnixUsers.command("/usr/bin/chmod", ["2775", shared.path])
        let facecap = try UnixUsers.executableForOthers(in: root)
        let db = shared.appendingPathComponent("studies.sqlite").path

        let models = StudyFixture.models.map { FacecapProcess.fixtures.appendingPathComponent("parity/\($0)").path }
        let created = try UnixUsers.run(facecap, [
            "study", "create", "shared", "--dataset", data.path, "--models", models.joined(separator: ","),
            "--seed", "5", "--db", db, "--cache", root.appendingPathComponent("captions.sqlite").path,
            "--raters", "\(alice),\(bob)"], as: nil)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("raters allowed: \(alice), \(bob)"), created.stdout)
        let attributes = try FileManager.default.attributesOfItem(atPath: db)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660, "the group's raters may write it")
        XCTAssertEqual((attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value, getgrnam(group)?.pointee.gr_gid)

        // Kept out: a login not on the list, a rater typing another rater's id, a user outside the group.
        let owner = try UnixUsers.run(facecap, ["rate", "shared", "--db", db], as: nil)
        XCTAssertEqual(owner.status, 1)
        XCTAssertTrue(owner.stderr.contains("is not a rater of study shared (its raters: \(alice), \(bob))"), owner.stderr)
        let impostor = try UnixUsers.run(facecap, ["rate", "shared", "--rater", bob, "--db", db], as: alice)
        XCTAssertEqual(impostor.status, 1)
        XCTAssertTrue(impostor.stderr.contains("you are logged in as \(alice), not \(bob)"), impostor.stderr)
        let outsider = try UnixUsers.run(facecap, ["rate", "shared", "--db", db], as: "nobody")
        XCTAssertEqual(outsider.status, 1)
        XCTAssertTrue(outsider.stderr.contains("may not write this study database")
                      && outsider.stderr.contains("\(db)-wal") && outsider.stderr.contains("group-writable folder"),
                      outsider.stderr)

        // Both raters at once, each in their own terminal, as themselves (no --rater).
        let panes = try [alice, bob].map { user in
            try TmuxPane((UnixUsers.asUser(user) + [facecap, "rate", "shared", "--db", db]).joined(separator: " ")
                         + "; echo EXITED $?; sleep 600", logName: "shared-study-\(user == alice ? "a" : "b")")
        }
        for pane in panes { try pane.waitFor("Press Enter to start with face 1 of 5", shot: "instructions") }
        for pane in panes { try pane.keys("Enter") }
        for pane in panes { try pane.waitFor("face 1", "A correctness [  ]", shot: "face1") }
        try panes[0].keys("7", "9", "4", "2")
        try panes[1].keys("3", "5", "6", "8")
        for pane in panes { try pane.keys("Enter") }
        for pane in panes { try pane.waitFor("face 2", "done 1 / 5", shot: "face2") }
        for pane in panes { try pane.keys("q") }
        for (pane, user) in zip(panes, [alice, bob]) {
            try pane.waitFor("rater \(user): 1 / 5 faces done", "EXITED 0", shot: "quit")
        }

        // The owner reads both raters' answers, under their login names.
        let export = try FacecapProcess.run(["study", "export", "shared", "--db", db])
        XCTAssertEqual(export.status, 0, export.stderr)
        let rows = CSV.parse(export.stdout)
        let raterColumn = try XCTUnwrap(rows.first?.firstIndex(of: "rater"))
        let scoreColumn = try XCTUnwrap(rows.first?.firstIndex(of: "correctness"))
        let rated = rows.dropFirst().filter { !$0[scoreColumn].isEmpty }
        XCTAssertEqual(Set(rated.map { $0[raterColumn] }), [alice, bob])
        XCTAssertEqual(rated.count, 4, "one face x two models per rater")
        let status = try FacecapProcess.run(["study", "status", "shared", "--db", db])
        XCTAssertTrue(status.stdout.contains(alice) && status.stdout.contains(bob), status.stdout)
    }
}
