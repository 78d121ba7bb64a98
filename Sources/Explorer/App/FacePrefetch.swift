import Faces
import Foundation

/// Renders the faces before and after the selection on a background queue while the user looks at
/// the current one, so `j` / `k` find the next face decoded and encoded already: a pixel face at
/// 600x600 takes 20-30 ms of CPU to resize and encode, more than a key press may wait on a busy
/// machine. Only the newest request runs; older ones are dropped when the selection moves on.
/// A playing clip's next frame is rendered ahead the same way (by its own instance, so the frames
/// and the neighbouring faces do not cancel each other).
final class FacePrefetch: @unchecked Sendable {
    private let queue = DispatchQueue(label: "facecap.explorer.prefetch", qos: .userInitiated)
    private let lock = NSLock()
    private var generation = 0

    func prefetch(_ items: [Int], box: Rect, graphics: TerminalGraphics, images: ImageStore,
                  cache: SharedRenderCache<RenderKey>) {
        render(items.map { item in ("\(item)", { images.image(item) }) }, box: box, graphics: graphics, cache: cache)
    }

    /// Renders each face (cache key, loader run on the background queue) that the cache lacks.
    func render(_ faces: [(key: String, load: () -> Result<RGBImage, Error>)], box: Rect, graphics: TerminalGraphics,
                cache: SharedRenderCache<RenderKey>) {
        guard !box.isEmpty, !faces.isEmpty else { return }
        let mine: Int = lock.withLock { generation += 1; return generation }
        queue.async { [self] in
            for face in faces {
                guard lock.withLock({ generation == mine }) else { return }
                let key = RenderKey(face: face.key, columns: box.width, rows: box.height, mode: graphics.mode)
                if cache.contains(key) { continue }
                guard case let .success(image) = face.load() else { continue }
                _ = cache.image(for: key) {
                    FaceRenderer.render(image, boxColumns: box.width, boxRows: box.height, mode: graphics.mode,
                                        cell: graphics.cell, sixelRegisters: graphics.sixelRegisters)
                }
            }
        }
    }
}
