"""Writes the image-input test fixtures under Tests/Fixtures/images/.

Regenerate (from the repository root; needs numpy, pillow, pypng, transformers 5.x):

    python3 Training/make_image_fixtures.py

Everything is deterministic (fixed seeds), so rerunning rewrites identical files.

decode/   PNGs covering every colour type and bit depth, each with
          NAME.rgb        PIL `Image.open(p).convert("RGB")` bytes (RGB8, row-major), i.e. alpha and
                          tRNS dropped; for 16-bit greyscale (PIL clips I;16 -> RGB at 255) the
                          high byte of each sample instead (see manifest "expected").
          NAME.white.rgb  transformers' `convert_to_rgb` (alpha composited over white), written
                          only where the image has alpha or tRNS.
          manifest.json   name -> {width, height, expected, white}.
corrupt/  inputs that must be refused with a specific message; manifest.json name -> problem.
preprocess/
          source PNGs, PIL-resized RGB8 (`resize_*.rgb`) and transformers' pixel_values as raw
          little-endian float32 (`pixel_values_*.f32`), described in manifest.json with shapes
          and the image processor class AutoImageProcessor actually chose.
"""

import io
import json
import os
import struct
import sys
import tempfile
import zlib

import numpy as np
import png  # pypng: writes every colour type / bit depth, which Pillow cannot
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "images")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def png_bytes(width, height, rows, **kwargs):
    out = io.BytesIO()
    png.Writer(width, height, **kwargs).write(out, rows)
    return out.getvalue()


def samples(rng, height, width, channels, maxval):
    """A gradient plus noise, hitting 0 and maxval, so scaling and byte order both show."""
    y, x = np.mgrid[0:height, 0:width]
    base = (x * 7 + y * 13)[..., None] + np.arange(channels) * 31
    noise = rng.integers(0, maxval + 1, size=(height, width, channels))
    values = (base * max(1, maxval // 97) + noise) % (maxval + 1)
    values.flat[0] = 0
    values.flat[-1] = maxval
    return values


def rows_of(values):
    h, w, c = values.shape
    return values.reshape(h, w * c).tolist()


def decode_fixtures():
    rng = np.random.default_rng(20240601)
    out = os.path.join(ROOT, "decode")
    manifest = {}

    def add(name, data, expected_note="PIL convert(RGB)"):
        path = os.path.join(out, name + ".png")
        write(path, data)
        image = Image.open(path)
        width, height = image.size
        entry = {"width": width, "height": height, "mode": image.mode, "expected": expected_note}
        if image.mode == "I;16":
            # PIL clips 16-bit grey to 0..255 on convert; facecap keeps the high byte, as every
            # other PNG reader (and PIL for 16-bit RGB/LA) does.
            reader = png.Reader(filename=path)
            w, h, rows, info = reader.asDirect()
            grey = (np.array([list(r) for r in rows], dtype=np.uint16) >> 8).astype(np.uint8)
            rgb = np.repeat(grey[..., None], 3, axis=2)
            entry["expected"] = "high byte of each 16-bit sample (PIL would clip)"
        else:
            rgb = np.asarray(image.convert("RGB"))
        write(os.path.join(out, name + ".rgb"), rgb.tobytes())
        has_alpha = "A" in image.getbands() or image.info.get("transparency") is not None
        if has_alpha:
            from transformers.image_transforms import convert_to_rgb

            white = convert_to_rgb(Image.open(path), return_numpy=True)
            write(os.path.join(out, name + ".white.rgb"), np.asarray(white, dtype=np.uint8).tobytes())
            entry["white"] = True
        manifest[name] = entry

    w, h = 37, 23
    for depth in (1, 2, 4, 8, 16):
        v = samples(rng, h, w, 1, 2**depth - 1)
        add(f"grey{depth}", png_bytes(w, h, rows_of(v), greyscale=True, bitdepth=depth))
    add("grey8_trns", png_bytes(w, h, rows_of(samples(rng, h, w, 1, 255)), greyscale=True, bitdepth=8, transparent=0))
    for depth in (8, 16):
        v = samples(rng, h, w, 2, 2**depth - 1)
        add(f"grey_alpha{depth}", png_bytes(w, h, rows_of(v), greyscale=True, alpha=True, bitdepth=depth))
    for depth in (1, 2, 4, 8):
        count = 2**depth
        colours = [tuple(int(c) for c in rng.integers(0, 256, 3)) for _ in range(count)]
        index = samples(rng, h, w, 1, count - 1)
        add(f"palette{depth}", png_bytes(w, h, rows_of(index), palette=colours, bitdepth=depth))
        # tRNS shorter than the palette: later entries are opaque.
        alphas = [0, 128, 255, 7][: max(1, count // 2)]
        with_alpha = [c + (alphas[i],) if i < len(alphas) else c + (255,) for i, c in enumerate(colours)]
        add(f"palette{depth}_trns", png_bytes(w, h, rows_of(index), palette=with_alpha, bitdepth=depth))
    for depth in (8, 16):
        add(f"rgb{depth}", png_bytes(w, h, rows_of(samples(rng, h, w, 3, 2**depth - 1)), bitdepth=depth, greyscale=False))
        add(f"rgba{depth}", png_bytes(w, h, rows_of(samples(rng, h, w, 4, 2**depth - 1)), alpha=True, bitdepth=depth, greyscale=False))
    keyed = samples(rng, h, w, 3, 255)
    keyed[::3, ::4] = 0  # pixels equal to the tRNS colour, so transparency actually shows
    add("rgb8_trns", png_bytes(w, h, rows_of(keyed), bitdepth=8, greyscale=False, transparent=(0, 0, 0)))
    # Adam7: odd sizes leave some passes partial, 1x1 and 3x2 leave passes empty.
    add("rgb8_interlaced", png_bytes(w, h, rows_of(samples(rng, h, w, 3, 255)), bitdepth=8, greyscale=False, interlace=True))
    add("rgba16_interlaced", png_bytes(w, h, rows_of(samples(rng, h, w, 4, 65535)), alpha=True, bitdepth=16, greyscale=False, interlace=True))
    add("grey2_interlaced", png_bytes(w, h, rows_of(samples(rng, h, w, 1, 3)), greyscale=True, bitdepth=2, interlace=True))
    add("palette4_interlaced", png_bytes(
        w, h, rows_of(samples(rng, h, w, 1, 15)),
        palette=[tuple(int(c) for c in rng.integers(0, 256, 3)) for _ in range(16)], bitdepth=4, interlace=True))
    add("rgb8_1x1_interlaced", png_bytes(1, 1, [[10, 200, 30]], bitdepth=8, greyscale=False, interlace=True))
    add("grey1_3x2_interlaced", png_bytes(3, 2, [[1, 0, 1], [0, 1, 1]], greyscale=True, bitdepth=1, interlace=True))
    add("rgb8_1x17", png_bytes(1, 17, rows_of(samples(rng, 17, 1, 3, 255)), bitdepth=8, greyscale=False))
    write(os.path.join(out, "manifest.json"), (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def chunks(data):
    """(offset, type, payload) of every chunk after the signature."""
    pos, found = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        found.append((pos, data[pos + 4:pos + 8], length))
        pos += 12 + length
    return found


def with_ihdr(data, width, height):
    """The same file with IHDR's size replaced and its CRC recomputed, so only the size is wrong."""
    pos, kind, length = chunks(data)[0]
    assert kind == b"IHDR"
    body = struct.pack(">II", width, height) + data[pos + 16:pos + 8 + length]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + body) & 0xFFFFFFFF)
    return data[:pos + 8] + body + crc + data[pos + 12 + length:]


def corrupt_fixtures():
    rng = np.random.default_rng(7)
    out = os.path.join(ROOT, "corrupt")
    good = png_bytes(37, 23, rows_of(samples(rng, 23, 37, 3, 255)), bitdepth=8, greyscale=False)
    idat = [c for c in chunks(good) if c[1] == b"IDAT"][0]
    idat_end = idat[0] + 8 + idat[2]
    manifest = {}

    def add(name, data, problem):
        write(os.path.join(out, name), data)
        manifest[name] = problem

    add("truncated.png", good[: idat[0] + 8 + idat[2] // 2], "truncated PNG data")
    add("truncated_signature.png", good[:5], "truncated PNG data")
    add("truncated_after_ihdr.png", good[:33], "truncated PNG data")
    bad_crc = bytearray(good)
    bad_crc[idat_end] ^= 0xFF
    add("bad_crc.png", bytes(bad_crc), "corrupt PNG data (IDAT: CRC error)")
    # Garbage inside IDAT with a correct CRC: only zlib can notice.
    payload = bytearray(good[idat[0] + 8:idat_end])
    payload[2:10] = b"\xff" * 8
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + bytes(payload)) & 0xFFFFFFFF)
    add("bad_zlib.png", good[:idat[0] + 8] + bytes(payload) + crc + good[idat_end + 4:], "corrupt PNG data")
    add("not_png.png", b"GIF89a this is not a PNG file at all\n", "not a PNG file")
    add("empty.png", b"", "file is empty")
    tiny = png_bytes(1, 1, [[1, 2, 3]], bitdepth=8, greyscale=False)
    add("huge_ihdr.png", with_ihdr(tiny, 100000, 100000),
        "image is 100000x100000 (10000 megapixels); facecap refuses images over 100 megapixels")
    add("zero_width.png", with_ihdr(tiny, 0, 1), "corrupt PNG data (Image width is zero in IHDR)")
    for name in manifest:
        # The independent check that these really are unreadable: PIL must refuse them too
        # (huge_ihdr only trips PIL's decompression-bomb guard, which is the point). PIL does not
        # verify IDAT CRCs, so bad_crc is checked against zlib instead.
        if name == "bad_crc.png":
            assert struct.unpack(">I", bad_crc[idat_end:idat_end + 4])[0] != zlib.crc32(bad_crc[idat[0] + 4:idat_end])
            continue
        try:
            Image.open(os.path.join(out, name)).convert("RGB")
        except Exception:
            continue
        sys.exit(f"PIL read {name} without complaint; it is not a corrupt fixture")
    write(os.path.join(out, "manifest.json"), (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def preprocess_fixtures():
    from transformers import AutoImageProcessor

    rng = np.random.default_rng(99)
    out = os.path.join(ROOT, "preprocess")
    os.makedirs(out, exist_ok=True)
    cases = [
        # source size, config size, what it exercises
        ((37, 23), {"height": 32, "width": 32}, "upscale"),
        ((97, 71), {"height": 48, "width": 48}, "downscale (antialiased kernel)"),
        ((300, 200), {"height": 224, "width": 224}, "downscale x, upscale y; Exp-BLIP input size"),
        ((97, 71), {"shortest_edge": 40}, "aspect-preserving shortest_edge"),
    ]
    manifest = {"cases": []}
    written = set()
    for (w, h), size, why in cases:
        source = f"source_{w}x{h}.png"
        if source not in written:  # one source per size, shared by the cases that use it
            written.add(source)
            y, x = np.mgrid[0:h, 0:w]
            smooth = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], axis=-1)
            # Hard edges and noise make the kernel's negative lobes overshoot and clip.
            edges = ((x // 5 + y // 7) % 2 * 255)[..., None]
            noise = rng.integers(-40, 41, size=(h, w, 3))
            rgb = np.clip(np.where((x % 23 < 6)[..., None], edges, smooth) + noise, 0, 255).astype(np.uint8)
            Image.fromarray(rgb, "RGB").save(os.path.join(out, source), optimize=True)
        image = Image.open(os.path.join(out, source)).convert("RGB")
        config = {"image_processor_type": "BlipImageProcessor", "size": size, "resample": 3,
                  "do_resize": True, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
                  "image_mean": [0.48145466, 0.4578275, 0.40821073],
                  "image_std": [0.26862954, 0.26130258, 0.27577711], "do_convert_rgb": True}
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "preprocessor_config.json"), "w") as f:
                json.dump(config, f)
            processor = AutoImageProcessor.from_pretrained(folder)
        values = processor(images=image, return_tensors="np")["pixel_values"][0].astype("<f4")
        tag = f"{w}x{h}_to_" + ("x".join(str(size[k]) for k in ("width", "height")) if "height" in size
                                  else f"shortest{size['shortest_edge']}")
        out_h, out_w = values.shape[1:]
        resized = np.asarray(image.resize((out_w, out_h), resample=Image.Resampling.BICUBIC))
        write(os.path.join(out, f"resize_{tag}.rgb"), resized.tobytes())
        write(os.path.join(out, f"pixel_values_{tag}.f32"), values.tobytes())
        manifest["cases"].append({
            "source": source, "config": config, "why": why,
            "resized": f"resize_{tag}.rgb", "pixel_values": f"pixel_values_{tag}.f32",
            "shape": list(values.shape), "processor_class": type(processor).__name__,
        })
    write(os.path.join(out, "manifest.json"), (json.dumps(manifest, indent=1) + "\n").encode())


if __name__ == "__main__":
    decode_fixtures()
    corrupt_fixtures()
    preprocess_fixtures()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(ROOT) for f in fs)
    print(f"fixtures: {total / 1e6:.2f} MB under {os.path.relpath(ROOT)}")
