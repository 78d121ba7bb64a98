#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory. Weights are read straight from the page cache, so a
/// multi-GB checkpoint costs address space, not resident memory, until its pages are touched.
///
/// The mapping is MAP_PRIVATE and PROT_READ: nothing we do can write back to the user's file.
/// One hazard mmap cannot defend against: if another process truncates the file while it is
/// mapped, touching the lost pages raises SIGBUS. Checkpoints are not edited while being read.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The file's bytes; empty (nil base) for a zero-length file, which mmap cannot map.
    public let bytes: UnsafeRawBufferPointer

    public init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO by mistake must fail fast in the checks below, not hang.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw InputError(path, MappedFile.describe(errno: errno)) }
        defer { close(fd) }

        var info = stat()
        if fstat(fd, &info) != 0 { throw InputError(path, MappedFile.describe(errno: errno)) }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw InputError(path, "is a directory, not a file") }
        if kind != S_IFREG { throw InputError(path, "is not a regular file") }

        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw InputError(path, "cannot map file into memory (\(MappedFile.describe(errno: errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(base), count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    public var count: Int { bytes.count }

    static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory, not a file"
        case ENOTDIR: return "a parent of this path is not a directory"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
