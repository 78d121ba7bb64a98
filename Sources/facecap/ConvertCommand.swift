import ArgumentParser
import Captioning
import Foundation

/// `facecap convert --lavis FILE.pth --language-model DIR -o OUT`: writes a transformers
/// Blip2ForConditionalGeneration folder from a LAVIS checkpoint. The flag names are a contract.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a LAVIS BLIP-2 OPT checkpoint (AU-BLIP, Exp-BLIP) as a Hugging Face model folder.",
        discussion: """
        The folder (config.json, model.safetensors, tokenizer, preprocessor and generation configs) loads \
        with transformers' Blip2ForConditionalGeneration.from_pretrained and in facecap. It holds the OPT \
        too (about 17 GB for ViT-g + OPT-6.7B). Its generation_config.json has the authors' decoding \
        (beam 5, 200 new tokens, stop at "\\n"); config.json keeps LAVIS's ln_vision eps 1e-5 as \
        vision_config.post_layernorm_eps, which transformers ignores (it uses 1e-6 there).
        """
    )

    @Option(name: .long, help: "The LAVIS checkpoint (.pth).")
    var lavis: String

    @Option(name: .long, help: "The OPT folder (facebook/opt-6.7b as downloaded).")
    var languageModel: String

    @Option(name: .shortAndLong, help: "Output folder (must not exist, or be empty).")
    var output: String

    func run() throws {
        func url(_ path: String) -> URL { URL(fileURLWithPath: (path as NSString).expandingTildeInPath) }
        let summary = try LavisConversion.convert(checkpoint: url(lavis), languageModel: url(languageModel), output: url(output))
        print("wrote \(output): \(summary.tensors) tensors, \(summary.bytes / 1_000_000) MB; <image> = \(summary.imageTokenID), eos \"\\n\" = \(summary.newlineID)")
    }
}
