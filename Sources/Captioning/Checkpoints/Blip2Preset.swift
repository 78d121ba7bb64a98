/// What a checkpoint's shapes cannot tell: attention head counts. Keyed by width, the published
/// BLIP-2 image encoders and Q-Former (LAVIS `eva_clip_g`, `clip_L`, BERT-base); a checkpoint of
/// another width needs a `config.json` (transformers' `Blip2Config`) beside it.
enum Blip2Preset {
    /// Vision width -> (name, heads).
    static let vision: [Int: (name: String, heads: Int)] = [
        1408: ("EVA ViT-g/14", 16),
        1024: ("CLIP ViT-L/14", 16),
    ]
    /// Q-Former width -> heads.
    static let qformer: [Int: (name: String, heads: Int)] = [
        768: ("BERT-base Q-Former", 12),
    ]
    /// LayerNorm eps of the published files: EVA blocks 1e-6, LAVIS `ln_vision` 1e-5, BERT 1e-12.
    static let visionBlockEps: Float = 1e-6
    static let lnVisionEps: Float = 1e-5
    static let qformerEps: Float = 1e-12
}
