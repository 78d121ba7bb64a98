import Captioning

/// Jobs in priority order, and every slot of the faces around the selection (running jobs there
/// are kept; running jobs outside it are cancelled).
public struct CaptionPlan: Equatable, Sendable {
    public var jobs: [CaptionJob]
    public var window: Set<SlotKey>
}

/// Decides what to caption next: the selected face (focused pane's model first), then its
/// neighbours outward (next before previous, since people mostly move down), then cache-only
/// lookups for every other face (visible ones first) so list marks, filters and caption search fill
/// in; after `C`, real jobs for every face the cache does not have. Pure.
public enum CaptionPlanner {
    public static func plan(_ state: ExplorerState, lookahead: Int) -> CaptionPlan {
        var jobs: [CaptionJob] = []
        var planned = Set<SlotKey>()
        var window = Set<SlotKey>()
        let models = modelOrder(state)
        if !state.visible.isEmpty {
            var order = [state.cursor]
            for d in 0..<max(0, lookahead) {
                order.append(state.cursor + d + 1)
                order.append(state.cursor - d - 1)
            }
            for position in order where position >= 0 && position < state.visible.count {
                for m in models {
                    let key = SlotKey(item: state.visible[position], model: m)
                    window.insert(key)
                    guard let settings = state.settings(for: key), needsRun(state, key, settings) else { continue }
                    jobs.append(CaptionJob(key: key, settings: settings, force: state.forced.contains(key), cacheOnly: false))
                    planned.insert(key)
                }
            }
        }
        let shown = Set(state.visible)
        let scanOrder = state.visible + state.items.indices.filter { !shown.contains($0) }
        for item in scanOrder {
            for m in models {
                let key = SlotKey(item: item, model: m)
                guard !planned.contains(key), case .unknown = state.slot(key), let settings = state.settings(for: key) else { continue }
                jobs.append(CaptionJob(key: key, settings: settings, force: false, cacheOnly: true))
            }
        }
        if state.captionAll {
            // Background work is part of the window: moving the selection must not cancel it.
            for item in scanOrder {
                for m in models {
                    let key = SlotKey(item: item, model: m)
                    guard !planned.contains(key), let settings = state.settings(for: key) else { continue }
                    if case .running = state.slot(key) { window.insert(key); continue }
                    guard case .absent = state.slot(key), !state.cancelled.contains(key) else { continue }
                    jobs.append(CaptionJob(key: key, settings: settings, force: false, cacheOnly: false))
                    window.insert(key)
                }
            }
        }
        return CaptionPlan(jobs: jobs, window: window)
    }

    static func modelOrder(_ state: ExplorerState) -> [Int] {
        let all = Array(state.modelNames.indices)
        guard state.focusedPane < all.count else { return all }
        return [state.focusedPane] + all.filter { $0 != state.focusedPane }
    }

    static func needsRun(_ state: ExplorerState, _ key: SlotKey, _ settings: DecodingSettings) -> Bool {
        if state.cancelled.contains(key) { return false }
        if state.forced.contains(key) { if case .running = state.slot(key) { return false }; return true }
        switch state.slot(key) {
        case .unknown, .absent: return true
        case .running, .failed: return false
        case let .done(outcome): return outcome.settings != settings
        }
    }
}
