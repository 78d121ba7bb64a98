import Foundation
import Tensor

/// DFER-CLIP's released checkpoints: a `torch.save` dict whose `state_dict` holds the model with
/// DataParallel's `module.` prefix, the prompt learner's buffers and `clip_model_`'s duplicates
/// (read by Tensor's PyTorch checkpoint reader; the prefix is dropped by `RecognizerWeights`).
///
/// A checkpoint carries no config, so the sizes are read off the tensors' shapes. Two numbers are not
/// in any shape, and take the values DFER-CLIP's code fixes: CLIP's heads are width / 64 (OpenAI's
/// `build_model`), and the temporal transformer's heads are 64 wide (`dim_head=64`).
/// The classes come from `--classes` or from the prompt learner's class count; a CLIP vocabulary
/// (vocab.json + merges.txt) beside the checkpoint, if any, is used to check the stored prompts
/// against the class set's descriptors.
enum ReleasedCheckpoint {
    static func load(_ path: String, classSet: String?, widenHalf: Bool) throws -> DFERCLIPRecognizer {
        let url = URL(fileURLWithPath: path)
        let store = try WeightStore(file: url)
        let weights = try RecognizerWeights(store: store, widenHalf: widenHalf)
        var config = try inferConfig(weights)
        let ctx = try weights.tensor("prompt_learner.ctx")
        let set = try classSet.map { try ClassSets.named($0) } ?? ClassSets.inferred(count: ctx.shape[0], origin: path)
        config.classes = set.classes
        config.descriptors = set.descriptors
        try config.validate(path: path)
        let folder = url.deletingLastPathComponent()
        let tokenizer = FileManager.default.fileExists(atPath: folder.appendingPathComponent("vocab.json").path)
            ? try CLIPTokenizer(directory: folder) : nil
        return try DFERCLIPRecognizer(config: config, weights: weights, tokenizer: tokenizer,
                                      fingerprint: RecognizerLoader.fingerprint(store.fingerprint, config))
    }

    static func inferConfig(_ w: RecognizerWeights) throws -> RecognizerConfig {
        func shape(_ name: String, rank: Int) throws -> [Int] {
            let s = try w.tensor(name).shape
            guard s.count == rank else { throw InputError(w.origin, "tensor \(name) has shape \(s), expected \(rank) dimensions") }
            return s
        }
        func count(_ prefix: String, _ suffix: String) -> Int {
            var n = 0
            while w.contains("\(prefix)\(n)\(suffix)") { n += 1 }
            return n
        }
        var c = RecognizerConfig()
        let conv = try shape("image_encoder.conv1.weight", rank: 4)
        let positions = try shape("image_encoder.positional_embedding", rank: 2)
        let grid = Int(Double(positions[0] - 1).squareRoot().rounded())
        guard grid * grid + 1 == positions[0] else {
            throw InputError(w.origin, "image_encoder.positional_embedding has \(positions[0]) rows, not a square grid plus the class token")
        }
        c.vision.width = conv[0]
        c.vision.patchSize = conv[2]
        c.vision.imageSize = grid * conv[2]
        c.vision.layers = count("image_encoder.transformer.resblocks.", ".ln_1.weight")
        c.vision.heads = max(1, conv[0] / 64)
        c.embedDim = try shape("image_encoder.proj", rank: 2)[1]
        let text = try shape("text_encoder.positional_embedding", rank: 2)
        c.text.contextLength = text[0]
        c.text.width = text[1]
        c.text.vocabSize = try shape("clip_model_.token_embedding.weight", rank: 2)[0]
        c.text.layers = count("text_encoder.transformer.resblocks.", ".ln_1.weight")
        c.text.heads = max(1, text[1] / 64)
        c.temporal.frames = try shape("temporal_net.pos_embedding", rank: 3)[1] - 1
        c.temporal.layers = count("temporal_net.temporal_transformer.layers.", ".0.fn.norm.weight")
        let inner = try shape("temporal_net.temporal_transformer.layers.0.0.fn.fn.to_qkv.weight", rank: 2)[0] / 3
        c.temporal.dimHead = inner % 64 == 0 ? 64 : inner
        c.temporal.heads = inner / c.temporal.dimHead
        c.temporal.mlpDim = try shape("temporal_net.temporal_transformer.layers.0.1.fn.fn.net.0.weight", rank: 2)[0]
        c.nCtx = try shape("prompt_learner.ctx", rank: 3)[1]
        return c
    }
}
