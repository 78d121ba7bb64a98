"""Parametric frontal face renderer with exact FACS labels.

A face is drawn in "face units" (origin at the face centre, y down, half-height 1) on a canvas
SS times larger than the output, shaded by a light direction over an ellipsoid, rolled/scaled/shifted
as one layer over a background, then downsampled (anti-aliasing) and given sensor noise.
Each AU moves the geometry of its region so the label is visible; see `_geometry`.
"""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = 224
SS = 3  # supersampling factor
N = SIZE * SS

SKIN_TONES = [(255, 224, 196), (241, 194, 167), (224, 172, 135), (198, 142, 106), (170, 114, 80),
              (141, 85, 54), (110, 66, 40), (84, 50, 32), (232, 190, 160), (205, 160, 120)]
HAIR_COLOURS = {"black": (25, 22, 20), "dark brown": (60, 38, 25), "brown": (105, 70, 40),
                "blond": (214, 178, 110), "red": (160, 70, 35), "grey": (150, 150, 150),
                "white": (225, 225, 220)}
EYE_COLOURS = {"brown": (95, 60, 30), "dark": (45, 30, 20), "blue": (70, 120, 180),
               "green": (80, 130, 80), "hazel": (130, 110, 60)}
HAIR_STYLES = ["short", "long", "bald", "bun", "fringe", "curly"]
BACKGROUNDS = ["plain", "gradient", "dark", "light"]


def _tone_name(rgb):
    lum = 0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2]
    return "light" if lum > 195 else "medium" if lum > 150 else "tan" if lum > 110 else "dark"


def sample_identity(rng):
    skin = np.array(SKIN_TONES[rng.integers(len(SKIN_TONES))], float) + rng.normal(0, 6, 3)
    age = float(rng.uniform(18, 75))
    hair_names = list(HAIR_COLOURS)
    hair = hair_names[rng.integers(5)] if age < 55 else hair_names[rng.integers(len(hair_names))]
    return {
        "skin_rgb": [int(np.clip(c, 0, 255)) for c in skin],
        "skin_tone": _tone_name(skin),
        "face_width": float(rng.uniform(0.68, 0.84)),
        "jaw_width": float(rng.uniform(0.55, 0.85)),
        "eye_size": float(rng.uniform(0.85, 1.15)),
        "eye_spacing": float(rng.uniform(0.27, 0.33)),
        "eye_colour": list(EYE_COLOURS)[rng.integers(len(EYE_COLOURS))],
        "nose_length": float(rng.uniform(0.85, 1.15)),
        "mouth_width": float(rng.uniform(0.85, 1.15)),
        "lip_thickness": float(rng.uniform(0.8, 1.25)),
        "brow_thickness": float(rng.uniform(0.7, 1.4)),
        "hair_style": HAIR_STYLES[rng.integers(len(HAIR_STYLES))],
        "hair_colour": hair,
        "age": round(age),
        "glasses": bool(rng.random() < 0.25),
        "glasses_shape": ["round", "square"][rng.integers(2)],
        "background": BACKGROUNDS[rng.integers(len(BACKGROUNDS))],
        "background_rgb": [int(v) for v in rng.integers(30, 235, 3)],
        "shirt_rgb": [int(v) for v in rng.integers(20, 230, 3)],
    }


def sample_pose(rng):
    return {"roll_deg": float(rng.uniform(-8, 8)), "scale": float(rng.uniform(0.9, 1.08)),
            "shift_x": float(rng.uniform(-8, 8)), "shift_y": float(rng.uniform(-6, 6)),
            "light_x": float(rng.uniform(-0.8, 0.8)), "light_y": float(rng.uniform(-0.7, 0.2)),
            "noise": float(rng.uniform(0.0, 5.0))}


# ---------------------------------------------------------------- geometry helpers
def _bezier(p0, p1, p2, n=24):
    t = np.linspace(0, 1, n)[:, None]
    p0, p1, p2 = map(np.asarray, (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t ** 2 * p2


def _chain(*curves):
    return np.concatenate(curves, 0)


class _Canvas:
    """Maps face units to supersampled pixels for one layer."""

    def __init__(self, img, cx, cy, s):
        self.img, self.d, self.cx, self.cy, self.s = img, ImageDraw.Draw(img), cx, cy, s

    def pts(self, arr):
        arr = np.asarray(arr, float)
        return [(self.cx + x * self.s, self.cy + y * self.s) for x, y in arr]

    def poly(self, arr, fill, outline=None, width=0):
        self.d.polygon(self.pts(arr), fill=fill, outline=outline, width=int(width * self.s) if width else 0)

    def line(self, arr, fill, width):
        self.d.line(self.pts(arr), fill=fill, width=max(1, int(round(width * self.s))), joint="curve")

    def ellipse(self, x, y, rx, ry, fill=None, outline=None, width=0):
        box = [self.cx + (x - rx) * self.s, self.cy + (y - ry) * self.s,
               self.cx + (x + rx) * self.s, self.cy + (y + ry) * self.s]
        self.d.ellipse(box, fill=fill, outline=outline, width=max(1, int(width * self.s)) if width else 0)


def _mix(c, other, t):
    return tuple(int(round(a * (1 - t) + b * t)) for a, b in zip(c, other))


def _shade(c, f):
    return tuple(int(np.clip(v * f, 0, 255)) for v in c)


def _alpha(c, a):
    return tuple(c) + (int(np.clip(a, 0, 1) * 255),)


# ---------------------------------------------------------------- AU-driven geometry
def _geometry(ident, aus, unilateral):
    """Control points of the expressive parts for intensities aus {au: 0..5}.

    `unilateral` (+1/-1/0) applies AU12/14 to one side only (contempt)."""
    a = {au: min(max(aus.get(au, 0.0), 0.0), 5.0) / 5.0 for au in range(1, 44)}
    g = {}
    # Brows: inner, middle, outer points per side; side = -1 (image left) / +1.
    for side in (-1, 1):
        ex = side * ident["eye_spacing"]
        inner = np.array([side * 0.09, -0.27])
        mid = np.array([ex, -0.33])
        outer = np.array([side * 0.47, -0.28])
        inner[1] -= 0.13 * a[1] - 0.07 * a[4] - 0.03 * a[9]
        mid[1] -= 0.05 * a[1] + 0.07 * a[2] - 0.06 * a[4]
        outer[1] -= 0.13 * a[2] - 0.03 * a[4]
        inner[0] -= side * (0.04 * a[4])
        g[("brow", side)] = (inner, mid, outer)
    g["furrow"] = a[4]
    g["forehead_lines"] = max(a[1], 0.7 * a[2])
    # Eyes.
    open_up = 0.065 + 0.055 * a[5] - 0.02 * a[7] - 0.012 * a[6]
    open_lo = 0.045 - 0.028 * a[7] - 0.022 * a[6]
    closed = a[43]
    g["eye_up"] = open_up * (1 - closed) + 0.004 * closed
    g["eye_lo"] = max(open_lo * (1 - closed), 0.004)
    g["closed"] = closed
    g["crows_feet"] = a[6]
    g["cheek_raise"] = a[6] + 0.4 * a[12]
    # Nose.
    g["nose_wrinkle"] = a[9]
    g["nostril_up"] = 0.035 * a[9] + 0.015 * a[10]
    g["nasolabial"] = max(a[10], 0.6 * a[9], 0.5 * a[12], 0.4 * a[6])
    # Mouth corners (per side), lip lines.
    mw = 0.21 * ident["mouth_width"]
    my = 0.47
    corners = {}
    for side in (-1, 1):
        u12 = a[12] if (unilateral == 0 or unilateral == side) else 0.0
        u14 = a[14] if (unilateral == 0 or unilateral == side) else 0.0
        cx = side * (mw + 0.07 * u12 + 0.08 * a[20] - 0.03 * u14 - 0.035 * a[23] - 0.015 * a[24])
        cy = my - 0.11 * u12 + 0.09 * a[15] + 0.025 * a[20] - 0.01 * u14
        corners[side] = np.array([cx, cy])
        g[("dimple", side)] = u14
    g["corners"] = corners
    thick = ident["lip_thickness"] * (1 - 0.45 * a[23]) * (1 - 0.55 * a[24]) * (1 - 0.25 * a[20])
    g["upper_thick"] = 0.045 * thick
    g["lower_thick"] = 0.06 * thick * (1 + 0.3 * a[17])
    g["gap"] = 0.04 * a[25] + 0.20 * a[26] + 0.035 * a[16] + 0.02 * a[10]
    g["upper_lift"] = 0.05 * a[10]
    g["lower_drop"] = 0.06 * a[16]
    g["lower_push"] = 0.035 * a[17]
    g["mouth_y"] = my
    g["press_bulge"] = a[24]
    g["chin_wrinkle"] = a[17]
    g["jaw"] = 0.16 * a[26]
    g["dimple_depth"] = a[14]
    return g


def render(ident, aus, pose, seed=0, unilateral=0):
    """RGB PIL image of SIZE x SIZE."""
    rng = np.random.default_rng(seed + 7919)
    g = _geometry(ident, aus, unilateral)
    skin = tuple(ident["skin_rgb"])
    hair_c = HAIR_COLOURS[ident["hair_colour"]]
    fw, jw = ident["face_width"], ident["jaw_width"]
    s = 92 * SS
    cx, cy = N / 2, N / 2 + 2 * SS
    layer = Image.new("RGBA", (N, N), (0, 0, 0, 0))
    c = _Canvas(layer, cx, cy, s)
    chin_y = 1.0 + g["jaw"]

    # Shoulders and neck.
    shirt = tuple(ident["shirt_rgb"])
    c.poly([(-1.6, 2.2), (-1.4, 1.45), (-0.4, 1.15), (0.4, 1.15), (1.4, 1.45), (1.6, 2.2)], fill=shirt + (255,))
    c.poly([(-0.3, 0.6), (0.3, 0.6), (0.33, 1.3), (0, 1.38), (-0.33, 1.3)], fill=_shade(skin, 0.82) + (255,))

    style = ident["hair_style"]
    if style in ("long", "curly"):
        c.poly(_chain(_bezier((-fw - 0.12, 0.0), (-fw - 0.3, -1.3), (0, -1.3)),
                      _bezier((0, -1.3), (fw + 0.3, -1.3), (fw + 0.12, 0.0)),
                      [(fw + 0.25, 1.25), (-fw - 0.25, 1.25)]), fill=hair_c + (255,))
    # Ears.
    for side in (-1, 1):
        c.ellipse(side * (fw + 0.02), 0.02, 0.08, 0.15, fill=_shade(skin, 0.9) + (255,))
    # Face outline: temples -> cheeks -> jaw -> chin.
    face = _chain(_bezier((0, -1.0), (-fw * 1.02, -1.0), (-fw, -0.15)),
                  _bezier((-fw, -0.15), (-fw * 0.98, 0.45 + 0.5 * g["jaw"]), (-jw * fw * 0.72, 0.8 + g["jaw"])),
                  _bezier((-jw * fw * 0.72, 0.8 + g["jaw"]), (-0.05, chin_y + 0.04), (0, chin_y)),
                  _bezier((0, chin_y), (0.05, chin_y + 0.04), (jw * fw * 0.72, 0.8 + g["jaw"])),
                  _bezier((jw * fw * 0.72, 0.8 + g["jaw"]), (fw * 0.98, 0.45 + 0.5 * g["jaw"]), (fw, -0.15)),
                  _bezier((fw, -0.15), (fw * 1.02, -1.0), (0, -1.0)))
    c.poly(face, fill=skin + (255,))

    # Shading over the head (before features so lines keep their contrast).
    arr = np.asarray(layer).astype(np.float32)
    yy, xx = np.mgrid[0:N, 0:N].astype(np.float32)
    nx = (xx - cx) / (s * fw * 1.1)
    ny = (yy - (cy + 0.1 * s)) / (s * 1.25)
    r2 = np.clip(nx ** 2 + ny ** 2, 0, 1)
    nz = np.sqrt(1 - r2)
    lx, ly = pose["light_x"], pose["light_y"]
    lz = math.sqrt(max(0.2, 1 - lx * lx - ly * ly))
    ln = math.sqrt(lx * lx + ly * ly + lz * lz)
    diffuse = np.clip((nx * lx + ny * ly + nz * lz) / ln, 0, 1)
    shade = 0.55 + 0.55 * diffuse
    arr[..., :3] *= shade[..., None]
    layer = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGBA")
    c = _Canvas(layer, cx, cy, s)
    dark = _shade(skin, 0.55)
    line_c = lambda t: _alpha(dark, t)
    over = Image.new("RGBA", (N, N), (0, 0, 0, 0))
    o = _Canvas(over, cx, cy, s)

    # Cheeks: a soft highlight and a lower-lid bulge that rise with AU6/12.
    for side in (-1, 1):
        cr = g["cheek_raise"]
        o.ellipse(side * 0.36, 0.2 - 0.07 * cr, 0.16, 0.1, fill=_alpha(_mix(skin, (255, 150, 140), 0.35), 0.25 + 0.35 * cr))
        if g["crows_feet"] > 0.05:
            for k in (-1, 0, 1):
                ex0 = side * (ident["eye_spacing"] + 0.16)
                o.line([(ex0, -0.08 + 0.03 * k), (ex0 + side * 0.08, -0.08 + 0.06 * k)], line_c(0.9 * g["crows_feet"]), 0.012)
            o.line(_bezier((side * 0.2, 0.0), (side * ident["eye_spacing"], 0.06), (side * 0.42, -0.01)),
                   line_c(0.8 * g["crows_feet"]), 0.013)
    # Forehead lines (AU1/2) and age lines.
    age_t = max(0.0, (ident["age"] - 40) / 40)
    fl = max(g["forehead_lines"], 0.35 * age_t)
    if fl > 0.05:
        for k in range(3):
            y = -0.5 - 0.08 * k
            o.line(_bezier((-0.32, y), (0, y - 0.05), (0.32, y)), line_c(0.85 * fl), 0.012)
    if g["furrow"] > 0.05:
        for side in (-1, 1):
            o.line([(side * 0.04, -0.27), (side * 0.055, -0.15)], line_c(0.95 * g["furrow"]), 0.016)
    if g["nose_wrinkle"] > 0.05:
        for k in range(3):
            y = -0.06 + 0.045 * k
            o.line(_bezier((-0.09, y + 0.01), (0, y - 0.02), (0.09, y + 0.01)), line_c(g["nose_wrinkle"]), 0.014)
    nl = max(g["nasolabial"], 0.4 * age_t)
    ny0 = 0.29 - g["nostril_up"]
    for side in (-1, 1):
        corner = g["corners"][side]
        if nl > 0.05:
            o.line(_bezier((side * 0.15, ny0 - 0.03), (side * 0.3, ny0 + 0.1), (corner[0] + side * 0.05, corner[1] + 0.02)),
                   line_c(0.85 * nl), 0.016)
        if g[("dimple", side)] > 0.05:
            d = g[("dimple", side)]
            o.line(_bezier((corner[0] + side * 0.02, corner[1] - 0.05), (corner[0] + side * 0.06, corner[1]),
                           (corner[0] + side * 0.02, corner[1] + 0.05)), line_c(d), 0.02)
    layer = Image.alpha_composite(layer, over)
    c = _Canvas(layer, cx, cy, s)

    # Eyes.
    eye_col = EYE_COLOURS[ident["eye_colour"]]
    es = ident["eye_size"]
    for side in (-1, 1):
        ex, ey = side * ident["eye_spacing"], -0.08
        hw = 0.135 * es
        up, lo = g["eye_up"] * es, g["eye_lo"] * es
        inner, outer = (ex - side * hw, ey + 0.005), (ex + side * hw, ey - 0.01)
        top = _bezier(inner, (ex, ey - 2 * up), outer)
        bot = _bezier(outer, (ex, ey + 2 * lo), inner)
        # Socket shadow and upper eyelid crease.
        c.line(_bezier((ex - side * hw * 1.1, ey - 0.02), (ex, ey - 2 * up - 0.07), (ex + side * hw * 1.1, ey - 0.03)),
               _alpha(_shade(skin, 0.7), 0.8), 0.012)
        if g["closed"] < 0.95:
            mask = Image.new("L", (N, N), 0)
            _Canvas(mask, cx, cy, s).poly(_chain(top, bot), fill=255)
            eye = Image.new("RGBA", (N, N), (0, 0, 0, 0))
            e = _Canvas(eye, cx, cy, s)
            e.poly(_chain(top, bot), fill=(245, 242, 238, 255))
            ir = 0.058 * es
            e.ellipse(ex, ey + 0.004, ir, ir, fill=eye_col + (255,))
            e.ellipse(ex, ey + 0.004, ir * 0.45, ir * 0.45, fill=(10, 10, 10, 255))
            e.ellipse(ex + 0.015, ey - 0.012, ir * 0.22, ir * 0.22, fill=(255, 255, 255, 230))
            layer.paste(eye, (0, 0), Image.fromarray(np.minimum(np.asarray(mask), np.asarray(eye)[..., 3])))
            c = _Canvas(layer, cx, cy, s)
        c.line(top, (30, 22, 20, 255), 0.018)
        c.line(bot, _alpha(_shade(skin, 0.6), 0.9), 0.008)
        if g["closed"] > 0.5:  # lashes of a closed lid
            c.line(_bezier(inner, (ex, ey + 0.03), outer), (30, 22, 20, 255), 0.018)
    # Brows.
    brow_c = _mix(hair_c, (40, 30, 25), 0.3) if ident["hair_colour"] not in ("grey", "white") else (120, 115, 110)
    bt = 0.038 * ident["brow_thickness"]
    for side in (-1, 1):
        inner, mid, outer = g[("brow", side)]
        upper = _bezier(inner + (0, -bt * 0.5), mid + (0, -bt), outer + (0, -bt * 0.2))
        lower = _bezier(outer + (0, bt * 0.2), mid + (0, bt * 0.2), inner + (0, bt * 0.6))
        c.poly(_chain(upper, lower), fill=brow_c + (255,))
    # Nose.
    nlen = ident["nose_length"]
    tip = 0.24 * nlen
    c.line(_bezier((-0.05, -0.05), (-0.07, tip * 0.6), (-0.06, tip)), _alpha(_shade(skin, 0.75), 0.6), 0.012)
    for side in (-1, 1):
        c.line(_bezier((side * 0.04, ny0 - 0.02), (side * 0.1, ny0 - 0.01), (side * 0.09, ny0 - 0.045)),
               _alpha(_shade(skin, 0.55), 0.9), 0.014)
        c.ellipse(side * 0.04, ny0 - 0.01, 0.022, 0.012, fill=_shade(skin, 0.35) + (255,))
    c.line(_bezier((-0.05, ny0 + 0.005), (0, ny0 + 0.02), (0.05, ny0 + 0.005)), _alpha(_shade(skin, 0.6), 0.7), 0.01)

    # Mouth.
    L, R = g["corners"][-1], g["corners"][1]
    my = g["mouth_y"]
    midy = (L[1] + R[1]) / 2
    gap = g["gap"]
    line_up = my - g["upper_lift"] - 0.003
    upper_top = line_up - g["upper_thick"]
    lip_line_up = _bezier(L, (0, 2 * line_up - midy), R)
    low_top_y = line_up + gap + g["lower_drop"] - g["lower_push"]
    lip_line_lo = _bezier(R, (0, 2 * low_top_y - midy), L)
    lip_col = _mix(_shade(skin, 0.85), (170, 60, 70), 0.45)
    upper_outline = _chain(_bezier(L, (-0.1, upper_top), (-0.03, upper_top - 0.005)),
                           _bezier((-0.03, upper_top - 0.005), (0, upper_top + 0.015), (0.03, upper_top - 0.005)),
                           _bezier((0.03, upper_top - 0.005), (0.1, upper_top), R))
    if gap > 0.008:
        c.poly(_chain(lip_line_up, lip_line_lo), fill=(60, 20, 25, 255))
        # Upper teeth, then lower teeth when the lower lip is pulled down.
        tw = 0.7 * (R[0] - L[0]) / 2
        c.poly(_chain(_bezier((-tw, line_up - 0.01), (0, line_up + 0.01), (tw, line_up - 0.01)),
                      _bezier((tw, line_up + min(gap, 0.05) * 0.7), (0, line_up + min(gap, 0.05) + 0.02),
                              (-tw, line_up + min(gap, 0.05) * 0.7))), fill=(238, 235, 225, 255))
        if g["lower_drop"] > 0.01:
            c.poly(_chain(_bezier((-tw, low_top_y + 0.01), (0, low_top_y - 0.03), (tw, low_top_y + 0.01)),
                          _bezier((tw, low_top_y + 0.02), (0, low_top_y + 0.02), (-tw, low_top_y + 0.02))),
                   fill=(230, 226, 215, 255))
    c.poly(_chain(upper_outline, _bezier(R, (0, 2 * line_up - midy), L)), fill=lip_col + (255,))
    low_bottom = low_top_y + g["lower_thick"]
    lower_outline = _bezier(L, (0, 2 * low_bottom - midy + 0.02), R)
    c.poly(_chain(lower_outline, lip_line_lo), fill=_shade(lip_col, 1.08) + (255,))
    c.line(lip_line_up, _alpha(_shade(lip_col, 0.5), 1.0), 0.012)
    if g["press_bulge"] > 0.05:
        o2 = g["press_bulge"]
        c.line(_bezier((L[0] + 0.03, upper_top - 0.04), (0, upper_top - 0.06), (R[0] - 0.03, upper_top - 0.04)), line_c(0.8 * o2), 0.012)
        c.line(_bezier((L[0] + 0.04, low_bottom + 0.04), (0, low_bottom + 0.06), (R[0] - 0.04, low_bottom + 0.04)), line_c(0.8 * o2), 0.012)
    if g["chin_wrinkle"] > 0.05:
        cw = g["chin_wrinkle"]
        cyc = chin_y - 0.17
        c.ellipse(0, cyc, 0.12, 0.07, outline=line_c(0.9 * cw), width=0.012)
        for k in (-1, 1):
            c.line([(k * 0.05, cyc - 0.02), (k * 0.03, cyc + 0.03)], line_c(0.8 * cw), 0.01)

    # Hair in front of the forehead.
    if style != "bald":
        top = -1.05 if style != "curly" else -1.12
        hairline = -0.62 if style != "fringe" else -0.45
        cap = _chain(_bezier((-fw - 0.05, -0.25), (-fw - 0.15, top - 0.1), (0, top - 0.1)),
                     _bezier((0, top - 0.1), (fw + 0.15, top - 0.1), (fw + 0.05, -0.25)),
                     _bezier((fw + 0.05, -0.25), (fw * 0.8, hairline - 0.1), (0, hairline)),
                     _bezier((0, hairline), (-fw * 0.8, hairline - 0.1), (-fw - 0.05, -0.25)))
        c.poly(cap, fill=hair_c + (255,))
        if style == "bun":
            c.ellipse(0, top - 0.22, 0.22, 0.17, fill=hair_c + (255,))
        if style == "curly":
            for k in range(14):
                ang = math.pi * (0.05 + 0.9 * k / 13)
                c.ellipse(-math.cos(ang) * (fw + 0.05), -0.3 - math.sin(ang) * 0.8, 0.12, 0.12, fill=hair_c + (255,))
        for k in range(10):  # strands give the hair texture
            x0 = -fw + 2 * fw * k / 9
            c.line(_bezier((x0 * 0.6, top), (x0 * 0.9, (top + hairline) / 2), (x0, hairline + 0.05)),
                   _alpha(_shade(hair_c, 1.5 if sum(hair_c) < 200 else 0.7), 0.35), 0.01)
    # Glasses.
    if ident["glasses"]:
        frame = (25, 25, 30, 255)
        for side in (-1, 1):
            ex = side * ident["eye_spacing"]
            if ident["glasses_shape"] == "round":
                c.ellipse(ex, -0.07, 0.15, 0.12, outline=frame, width=0.018)
            else:
                c.poly([(ex - 0.16, -0.18), (ex + 0.16, -0.18), (ex + 0.15, 0.04), (ex - 0.15, 0.04)], fill=None, outline=frame, width=0.018)
            c.line([(side * (ident["eye_spacing"] + 0.15), -0.1), (side * (fw + 0.02), -0.12)], frame, 0.018)
        c.line(_bezier((-ident["eye_spacing"] + 0.15, -0.09), (0, -0.13), (ident["eye_spacing"] - 0.15, -0.09)), frame, 0.018)

    # Pose: roll, scale and shift as one affine of the whole head layer.
    layer = layer.rotate(pose["roll_deg"], resample=Image.BICUBIC, center=(cx, cy))
    sc = pose["scale"]
    if abs(sc - 1) > 1e-3:
        ns = int(N * sc)
        layer = layer.resize((ns, ns), Image.BICUBIC)
        off = (N - ns) // 2
        canvas = Image.new("RGBA", (N, N), (0, 0, 0, 0))
        canvas.paste(layer, (off, off))
        layer = canvas
    layer = layer.transform((N, N), Image.AFFINE, (1, 0, -pose["shift_x"] * SS, 0, 1, -pose["shift_y"] * SS), Image.BICUBIC)

    bg = _background(ident, pose)
    out = Image.alpha_composite(bg, layer).convert("RGB").resize((SIZE, SIZE), Image.LANCZOS)
    arr = np.asarray(out).astype(np.float32) + rng.normal(0, pose["noise"], (SIZE, SIZE, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _background(ident, pose):
    base = np.array(ident["background_rgb"], np.float32)
    kind = ident["background"]
    if kind == "dark":
        base = base * 0.3
    elif kind == "light":
        base = 200 + base * 0.2
    yy, xx = np.mgrid[0:N, 0:N].astype(np.float32) / N
    if kind == "gradient":
        t = (0.5 * xx + 0.5 * yy)[..., None]
        other = 255 - base
        img = base * (1 - t) + other * t * 0.6 + base * t * 0.4
    else:
        img = np.broadcast_to(base, (N, N, 3)).copy()
    # Light falls on the wall too.
    img = img * (0.85 + 0.25 * (1 - np.abs(xx - 0.5 - pose["light_x"] * 0.3)))[..., None]
    rgba = np.concatenate([np.clip(img, 0, 255), np.full((N, N, 1), 255, np.float32)], -1)
    return Image.fromarray(rgba.astype(np.uint8), "RGBA")
