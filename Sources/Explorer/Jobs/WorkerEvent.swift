import Captioning

/// What background threads tell the UI thread. Posted to an `EventInbox`, applied on the UI thread.
public enum WorkerEvent: Sendable {
    case started(SlotKey)
    case progress(SlotKey, CaptionProgress)
    case finished(SlotKey, CaptionOutcome)
    /// A cache-only lookup found nothing.
    case cacheMiss(SlotKey)
    case failed(SlotKey, String)
    case cancelled(SlotKey, byUser: Bool)
    /// A face's pixels are loaded (or failed to load) and can be drawn.
    case imageReady(Int)
    /// A face's image could not be read or decoded (the list marks it; `w` says why).
    case imageFailed(Int, String)
    /// Dataset indices of faces that already have ratings.
    case ratedLoaded(Set<Int>)
    /// The recognizer pane's jobs.
    case recognitionStarted(RecognitionKey)
    case recognized(RecognitionKey, RecognizerResult)
    case recognitionFailed(RecognitionKey, String)
}
