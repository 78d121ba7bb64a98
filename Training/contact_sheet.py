"""Contact sheet of rendered faces with their labels, for looking at the renderer's output."""
import sys

from PIL import Image, ImageDraw

from faces import make_face, KINDS
import facs


def sheet(items, path, cols=6):
    rows = (len(items) + cols - 1) // cols
    out = Image.new("RGB", (cols * 224, rows * 244), "white")
    d = ImageDraw.Draw(out)
    for i, (img, text) in enumerate(items):
        x, y = (i % cols) * 224, (i // cols) * 244
        out.paste(img, (x, y))
        d.text((x + 2, y + 226), text[:40], fill="black")
    out.save(path)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "mix"
    items = []
    if mode == "aus":  # one AU at intensity 5 on a fixed identity, for checking each AU's cue
        import numpy as np
        from render_face import render, sample_identity, sample_pose
        rng = np.random.default_rng(5)
        ident = sample_identity(rng); ident["glasses"] = False; ident["hair_style"] = "short"
        pose = {"roll_deg": 0, "scale": 1, "shift_x": 0, "shift_y": 0, "light_x": 0.3, "light_y": -0.3, "noise": 0}
        items.append((render(ident, {}, pose), "none"))
        for au in facs.RENDERED_AUS:
            items.append((render(ident, {au: 5}, pose), f"AU{au} {facs.NOUN[au]}"))
    else:
        for i in range(24):
            img, rec = make_face(1000 + i, KINDS[i % 4])
            items.append((img, f"{rec['emotion']} {list(rec['aus'])}"))
    sheet(items, sys.argv[2] if len(sys.argv) > 2 else f"/tmp/sheet_{mode}.png")
