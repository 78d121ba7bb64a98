#!/usr/bin/env python3
"""JPEG fixtures for facecap's JPEG decoder, each beside the pixels PIL decodes from it.

Writes Tests/Fixtures/jpeg/:
  decode/NAME.jpg    tiny JPEGs of the kinds datasets ship: baseline 4:2:0, 4:2:2 and 4:4:4, progressive,
                     restart markers, greyscale, CMYK (Adobe-inverted, as PIL and Photoshop write it), and
                     known_blocks.jpg, flat 8x8 grey blocks at quality 100 whose pixels are exact by
                     construction (a DC-only block with quantiser 1 decodes to its level)
  decode/NAME.rgb    Image.open(jpg).convert("RGB") as raw bytes, row-major, 3 per pixel: the reference
                     loaders' call. PIL decodes with libjpeg-turbo's defaults (JDCT_ISLOW, fancy upsampling),
                     the settings facecap's decoder fixes, so the Swift decode must match byte for byte.
  decode/manifest.json   NAME -> {width, height, known: the levels of known_blocks' blocks, left to right}
  clip/0000N.jpg     a 5-frame clip (the recognizer fixture's first frames) as DFEW ships frames
  clip_decoded/0000N.png   PIL's decode of each, losslessly, for the recognize end-to-end comparison
  face.jpg, face_decoded.png   SampleFaces/face_01.png as a JPEG still, and PIL's decode of it
  dfew_list.txt      a DFEW-style annotation list (`path num_frames label`) naming clip/

Every source image is one of the repository's own (SampleFaces, recognizer fixtures): nothing downloaded.
Run from anywhere (a second, CPU only):  python3 Training/make_jpeg_fixtures.py
"""

from __future__ import annotations

import json
import os
import shutil

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "jpeg")


def decoded_rgb(path: str) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB")


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    decode_dir = os.path.join(OUT, "decode")
    os.makedirs(decode_dir)

    # Odd sizes, so the right and bottom edges cut through MCUs.
    face = Image.open(os.path.join(ROOT, "SampleFaces", "face_01.png")).convert("RGB")
    small = face.resize((45, 37), Image.BICUBIC)

    # known_blocks: levels whose RGB -> YCbCr -> RGB round trip is exact (grey: Cb = Cr = 128).
    levels = [0, 37, 90, 128, 129, 200, 254, 255]
    known = Image.new("RGB", (8 * len(levels), 16))
    for i, level in enumerate(levels):
        known.paste((level, level, level), (8 * i, 0, 8 * i + 8, 16))

    variants = {
        "baseline_420": (small, dict(quality=85, subsampling=2)),
        "baseline_422": (small, dict(quality=85, subsampling=1)),
        "baseline_444": (small, dict(quality=92, subsampling=0)),
        "progressive_420": (small, dict(quality=85, subsampling=2, progressive=True)),
        "restart_420": (small, dict(quality=80, subsampling=2, restart_marker_blocks=2)),
        "grey": (small.convert("L"), dict(quality=85)),
        "cmyk": (small.convert("CMYK"), dict(quality=90)),
        "known_blocks": (known, dict(quality=100, subsampling=0)),
    }
    manifest = {}
    for name, (image, options) in variants.items():
        path = os.path.join(decode_dir, f"{name}.jpg")
        image.save(path, "JPEG", **options)
        rgb = decoded_rgb(path)
        with open(os.path.join(decode_dir, f"{name}.rgb"), "wb") as f:
            f.write(rgb.tobytes())
        manifest[name] = {"width": rgb.width, "height": rgb.height}
    manifest["known_blocks"]["known"] = levels
    # The blocks really are exact in PIL too, or the fixture is not what it claims.
    assert list(decoded_rgb(os.path.join(decode_dir, "known_blocks.jpg")).getchannel("R").tobytes()[:8 * len(levels)]) == \
        [level for level in levels for _ in range(8)]
    with open(os.path.join(decode_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")

    clip = os.path.join(ROOT, "Tests", "Fixtures", "recognition", "clip")
    for folder in ["clip", "clip_decoded"]:
        os.makedirs(os.path.join(OUT, folder))
    for n in range(1, 6):
        frame = Image.open(os.path.join(clip, f"{n:05d}.png")).convert("RGB")
        jpg = os.path.join(OUT, "clip", f"{n:05d}.jpg")
        frame.save(jpg, "JPEG", quality=90)
        decoded_rgb(jpg).save(os.path.join(OUT, "clip_decoded", f"{n:05d}.png"))

    face.save(os.path.join(OUT, "face.jpg"), "JPEG", quality=90)
    decoded_rgb(os.path.join(OUT, "face.jpg")).save(os.path.join(OUT, "face_decoded.png"))

    # Label 3 is neutral in DFER-CLIP's order.
    with open(os.path.join(OUT, "dfew_list.txt"), "w") as f:
        f.write("clip 5 3\n")


if __name__ == "__main__":
    main()
