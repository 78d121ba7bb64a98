import Faces
import TerminalUI

/// The rating screen on the shared terminal loop: keys go to `RatingFlow`, the screen is painted
/// from it. Faces are small PNGs decoded in milliseconds, so they are decoded here, once per face.
final class RatingLoop: TerminalApp {
    private let flow: RatingFlow
    private let options: TerminalOptions
    private let loadImage: (String) throws -> RGBImage
    private var decoded: (imageID: String, result: Result<RGBImage, Error>)?
    private let face = RenderedFace<String>()

    init(flow: RatingFlow, options: TerminalOptions, loadImage: @escaping (String) throws -> RGBImage) {
        self.flow = flow
        var options = options
        options.mouse = false
        self.options = options
        self.loadImage = loadImage
    }

    func run() throws -> TerminalExit { try TerminalLoop().run(self, options: options) }

    func handle(_ key: KeyInput, screen: TerminalScreen) -> Bool {
        flow.handle(key, layout: RatingLayout.compute(width: screen.width, height: screen.height))
    }

    func draw(_ screen: TerminalScreen) -> ImagePlacement? {
        let layout = RatingLayout.compute(width: screen.width, height: screen.height)
        var image = FaceImage.none
        if case let .rating(current, form) = flow.screen {
            let box = form.mode == .zoomed ? RatingPainter.zoomBox(layout) : layout.face
            image = face.image(id: current.imageID, box: box, graphics: screen.graphics,
                               failure: { "cannot show face \(current.imageID): \($0)" }) {
                if decoded?.imageID != current.imageID {
                    decoded = (current.imageID, Result { try loadImage(current.imageID) })
                }
                return decoded!.result
            }
        }
        return RatingPainter.paint(flow, layout: layout, image: image, glyphs: screen.glyphs, on: screen.canvas)
    }
}
