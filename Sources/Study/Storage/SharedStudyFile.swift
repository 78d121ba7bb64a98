import Foundation

/// A study database that raters logging in as different Unix users share: it lives in a folder of
/// their common group with the group-write bit (and, usually, set-group-ID so new files get the
/// group). SQLite creates the -wal and -shm files with the database file's own mode, so making the
/// file group-writable once, when it is created, is what lets every rater write all three.
public enum SharedStudyFile {
    /// Creates an empty database file (SQLite treats an empty file as a new database): mode 0660 in
    /// a group-writable folder, else the usual 0644 less the umask.
    public static func create(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var folderInfo = stat()
        let shared = stat(folder, &folderInfo) == 0 && folderInfo.st_mode & S_IWGRP != 0
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, shared ? 0o660 : 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { return }
            throw StudyError.invalidInput("\(path): cannot create the study database (\(String(cString: strerror(errno)))); "
                + StudyStore.walHint.replacingOccurrences(of: "FILE", with: path))
        }
        if shared {
            // The folder's group, as a set-group-ID folder would give; a creator outside that group
            // keeps their own (the chown fails, nothing else does).
            _ = fchown(fd, uid_t.max, folderInfo.st_gid)
            // The umask (usually 022) would take the group's write bit away again.
            fchmod(fd, 0o660)
        }
        close(fd)
    }
}

/// The login name of the user running facecap: the default rater id, and the id a study with a
/// rater list checks. From the password database, not $USER, which anyone can set.
public enum LoginName {
    public static var current: String? {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return nil
    }
}
