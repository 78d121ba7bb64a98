import ArgumentParser
import Foundation
import Study
import Tensor

/// The executable: argument parsing and wiring, nothing else (DESIGN.md).
@main
struct Facecap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facecap",
        abstract: "Explore facial-expression captioning models (BLIP-2, AU-BLIP, Emot-BLIP, Exp-BLIP) in the terminal.",
        subcommands: [ExploreCommand.self, CaptionCommand.self, CacheCommand.self, BenchCommand.self,
                      StudyCommand.self, RateCommand.self, ConvertCommand.self, ShowCommand.self,
                      RecognizeCommand.self],
        defaultSubcommand: ExploreCommand.self
    )

    /// Bad input is one line naming the file and the problem, and exit status 1; usage errors keep
    /// ArgumentParser's message and its exit status 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("facecap: \(error)\n".utf8))
            Foundation.exit(1)
        } catch let error as StudyError {
            FileHandle.standardError.write(Data("facecap: \(error)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
