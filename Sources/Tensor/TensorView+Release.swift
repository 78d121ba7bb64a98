#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TensorView {
    /// Drops this tensor's mmapped checkpoint pages from the process's resident set after the weights
    /// were converted to another form at load (8-bit), so the original is not counted twice. Only
    /// for read-only file mappings (the file's contents are untouched; a later read faults them back
    /// in); tensors held in ordinary memory are left alone.
    func releaseResidentPages() {
        guard owner is MappedFile, byteCount > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: data) + page - 1) / page * page
        let end = (Int(bitPattern: data) + byteCount) / page * page
        guard end > start, let base = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(base, end - start, Int32(MADV_DONTNEED))
    }
}
