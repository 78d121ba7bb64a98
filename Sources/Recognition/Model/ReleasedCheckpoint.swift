import Foundation
import Tensor

/// DFER-CLIP's released checkpoints: a `torch.save` dict whose `state_dict` holds the model with
/// DataParallel's `module.` prefix, the prompt learner's buffers and `clip_model_`'s duplicates.
enum ReleasedCheckpoint {
    static func load(_ path: String, classSet: String?, widenHalf: Bool) throws -> DFERCLIPRecognizer {
        throw InputError(path, "reading PyTorch .pth checkpoints is not available in this build")
    }
}
