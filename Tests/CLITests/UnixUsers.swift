import Foundation
import XCTest

/// Real Unix users for the tests of shared study files: made with useradd/groupadd (the suite runs as
/// root in CI), removed again by the test's teardown, and facecap run as them through setpriv.
enum UnixUsers {
    /// A copy of the built facecap in `folder` (mode 0755): the checkout may sit in a home folder
    /// other users cannot enter.
    static func executableForOthers(in folder: URL) throws -> String {
        let copy = folder.appendingPathComponent("facecap")
        try FileManager.default.copyItem(at: try FacecapProcess.executable, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        return copy.path
    }

    /// A new group and users in it, with names unique to this run; removed when `test` ends.
    static func make(group: String, users: [String], for test: XCTestCase) throws {
        guard getuid() == 0 else {
            throw XCTSkip("creating Unix users needs root (CI runs the suite as root)")
        }
        try command("/usr/sbin/groupadd", [group])
        test.addTeardownBlock { _ = try? command("/usr/sbin/groupdel", [group]) }
        for user in users {
            try command("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", group,
                                              "--shell", "/usr/sbin/nologin", user])
            // Teardown blocks run last-in first-out: the users go before their group.
            test.addTeardownBlock { _ = try? command("/usr/sbin/userdel", [user]) }
        }
    }

    /// A short name unique to this run (login names are at most 32 characters).
    static func uniqueName(_ prefix: String) -> String {
        prefix + String(UUID().uuidString.prefix(6)).lowercased()
    }

    /// The setpriv prefix that runs a command as `user` with its groups (nil: as the current user).
    static func asUser(_ user: String?) -> [String] {
        guard let user else { return [] }
        return ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(primaryGroup(of: user))", "--init-groups"]
    }

    /// Runs `executable arguments` as `user` from the executable's folder, without the caller's
    /// home, config or cache folders.
    static func run(_ executable: String, _ arguments: [String], as user: String?) throws -> FacecapProcess.Output {
        let prefix = asUser(user)
        let command = prefix + [executable] + arguments
        return try FacecapProcess.launch(URL(fileURLWithPath: command[0]), Array(command.dropFirst()),
                                         directory: URL(fileURLWithPath: executable).deletingLastPathComponent(),
                                         environment: ["XDG_CONFIG_HOME": nil, "XDG_DATA_HOME": nil,
                                                       "XDG_CACHE_HOME": nil, "FACECAP_MODELS": nil,
                                                       "HOME": "/nonexistent"])
    }

    static func primaryGroup(of user: String) -> String {
        guard let entry = getpwnam(user) else { return user }
        return String(entry.pointee.pw_gid)
    }

    @discardableResult
    static func command(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "UnixUsers", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(path) \(arguments): \(text)"])
        }
        return text
    }
}
