import CKernels
import Foundation

/// Cores to split work over, read once: the CPUs this process may run on (its affinity mask, which
/// `taskset`, cpusets and Slurm's task binding set), not every CPU of the machine. OpenBLAS is
/// single-threaded inside facecap (`BLAS`), so this is the one thread count there is.
/// `FACECAP_THREADS=N` lowers it where the scheduler does not bind (Slurm without task affinity).
public enum ProcessorCount {
    public static let value: Int = {
        let cap = ProcessInfo.processInfo.environment["FACECAP_THREADS"].flatMap(Int.init).map { max(1, $0) } ?? Int.max
        return min(cap, cpus)
    }()

    private static var cpus: Int {
        let allowed = Int(fc_allowed_cpus())
        if allowed > 0 { return allowed }
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
