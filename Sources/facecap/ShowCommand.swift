import ArgumentParser
import Explorer
import Faces
import Foundation
import Tensor

/// `facecap show`: faces to stdout without the explorer (scripts, quick looks over SSH, tests).
/// The output contract: for each image in order, the face `--width` columns wide in the chosen
/// mode, the cursor left at the start of the line below it; nothing else on stdout. A file that
/// cannot be read stops the command with one line on stderr naming it, exit status 1.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print faces to the terminal (kitty, iTerm2, sixel or half blocks), as timg and viu do.",
        discussion: """
        The mode is detected from the terminal like the explorer's (TERM, TERM_PROGRAM, LC_TERMINAL, \\
        KONSOLE_VERSION, COLORTERM and the terminal's answers) unless --image-mode or image_mode in \
        \(UserConfig.path.path) says otherwise.
        """
    )

    @Argument(help: "PNG or JPEG images.") var images: [String]
    @Option(help: "auto, kitty, iterm, sixel, blocks, truecolor, 256, grey or ascii.") var imageMode: String?
    @Option(help: "Width of each face in terminal columns.") var width: Int = 40
    @Option(help: "Pixel size of a terminal cell, WxH (default: asked from the terminal, else 10x20).") var cellSize: String?
    @Flag(help: "Print the 256-colour paths' mean colour error (OKLab ΔE) on these faces instead of the faces.")
    var colourError = false

    func validate() throws {
        if width < 1 || width > 1000 { throw ValidationError("--width must be between 1 and 1000 columns") }
        if let imageMode, ImageModeSetting(name: imageMode) == nil {
            throw ValidationError("--image-mode must be one of \(ImageModeSetting.names.joined(separator: ", "))")
        }
        if let cellSize, CellSize(parsing: cellSize) == nil { throw ValidationError("--cell-size must look like 10x20") }
    }

    func run() throws {
        if colourError { return try printColourError() }
        let user = try UserConfig.load()
        let setting = try ImageModeOption.setting(imageMode, user: user)
        let env = ProcessInfo.processInfo.environment
        let graphics = TerminalGraphics.detect(
            setting: setting, environment: env, colors: TerminalEnvironment.colorsFromName(env["TERM"] ?? ""),
            utf8: TerminalEnvironment.utf8Locale(), columns: TerminalEnvironment.columns() ?? 80, rows: 24,
            probe: { TerminalProbe.ask() })
        let cell = cellSize.flatMap(CellSize.init(parsing:)) ?? graphics.cell
        for path in images {
            let face = try FaceImageDecoder.decode(contentsOf: URL(fileURLWithPath: path), alpha: .compositeOntoWhite)
            guard let bytes = FaceShow.bytes(face, mode: graphics.mode, columns: width, cell: cell,
                                             sixelRegisters: graphics.sixelRegisters)
            else { throw InputError(path, "image is empty") }
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    /// Mean OKLab ΔE of each 256-colour path against truecolor, at the explorer's face pane size
    /// (48x24 cells, 100x30 terminal) and at full-screen zoom size (96x28), over all the faces given.
    func printColourError() throws {
        let faces = try images.map { try FaceImageDecoder.decode(contentsOf: URL(fileURLWithPath: $0), alpha: .compositeOntoWhite) }
        print("mean OKLab ΔE (x100) against truecolor over \(faces.count) faces; 'blurred' = after a 3x3 box blur")
        for (columns, rows) in [(48, 24), (96, 28)] {
            print("box \(columns)x\(rows) cells:")
            for path in ColourError.Path.allCases {
                var perPixel = 0.0, blurred = 0.0
                for face in faces {
                    guard let grid = ColourError.truecolorGrid(face, boxColumns: columns, boxRows: rows) else { continue }
                    let f = ColourError.measure(reference: grid, shown: ColourError.shown(grid, path: path))
                    perPixel += f.perPixel / Double(faces.count)
                    blurred += f.blurred / Double(faces.count)
                }
                print("  " + path.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: " per pixel %6.2f   blurred %6.2f", perPixel, blurred))
            }
        }
    }
}

/// `--image-mode` over `image_mode` in the config file over auto, for every command that draws faces.
enum ImageModeOption {
    static func setting(_ option: String?, user: UserConfig) throws -> ImageModeSetting {
        guard let option else { return user.imageMode ?? .auto }
        guard let setting = ImageModeSetting(name: option) else {
            throw ValidationError("--image-mode must be one of \(ImageModeSetting.names.joined(separator: ", "))")
        }
        return setting
    }
}
