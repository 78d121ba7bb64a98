#!/usr/bin/env python3
"""Builds the tiny dataset fixtures the FacesTests read. No real dataset images: every face is a
4x4 (or 48x48 grey, for FER2013) pattern drawn here. Run from anywhere:
    python3 Tests/Fixtures/datasets/make_fixtures.py
It also writes hashes.txt: SHA-256 of each PNG by Python's hashlib, an independent reference for
ContentHash."""
import hashlib
import os
import shutil

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def png(rel, seed, fmt="PNG"):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img = Image.new("RGB", (4, 4))
    img.putdata([((seed * 37 + i * 11) % 256, (seed * 53 + i * 7) % 256, (seed * 91 + i * 3) % 256) for i in range(16)])
    img.save(path, fmt)


def write(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)


for name in ["image_folder", "per_class", "labels_csv", "fer2013", "rafdb", "affectnet"]:
    shutil.rmtree(os.path.join(HERE, name), ignore_errors=True)

# Plain folder: natural order (img2 < img9 < img10), nested folders, a JPEG read, a JPEG left out for
# its PNG twin, a BMP and a text file skipped, a hidden file ignored.
png("image_folder/img10.png", 1)
png("image_folder/img2.png", 2)
png("image_folder/img9.png", 3)
png("image_folder/Sub/a.png", 4)
png("image_folder/photo.jpg", 5, "JPEG")
png("image_folder/img9.jpg", 3, "JPEG")
png("image_folder/scan.bmp", 7, "BMP")
png("image_folder/.hidden.png", 6)
write("image_folder/notes.txt", "not an image\n")

# Folder per class: names in several spellings and cases; a nested split folder; one unlabelled image.
png("per_class/happy/1.png", 10)
png("per_class/Sad/2.png", 11)
png("per_class/surprised/3.png", 12)
png("per_class/train/fearful/4.png", 13)
png("per_class/train/Disgust/5.png", 14)
png("per_class/contempt/6.png", 15)
png("per_class/neutral/7.png", 16)
png("per_class/angry/8.png", 17)
png("per_class/misc/9.png", 18)

# facecap labels.csv: extra column, quoted source with a comma, compound and synonym emotions,
# AU forms, a JPEG listed whose PNG twin exists, malformed rows, a missing file, a duplicate.
# (Five faces: the study and cluster CLI tests count on it.)
for i, name in enumerate(["faces/0001.png", "0002.png", "0003.png", "0004.png", "0005.png", "twin.png"]):
    png(f"labels_csv/{name}", 20 + i)
write("labels_csv/labels.csv", "\r\n".join([
    "file,emotion,aus,source,extra",
    'faces/0001.png,happiness,6:3 12:4,"synthetic, seed 1",x',
    "0002.png,fear and surprise,1+2+5+26,,",
    "0003.png,Happy,AU6 AU12:C,,",
    "0004.png,joyful,12,,",            # line 5: unknown emotion word
    "0005.png,,1:7,,",                 # line 6: intensity out of range
    "0005.png,,,,",                    # unlabelled row
    "twin.jpg,neutral,,,",             # resolved to twin.png
    "missing.png,anger,,,",            # not on disk
    "0002.png,sadness,,,",             # line 10: duplicate
    "",
]))

# FER2013: 3 rows, one malformed (too few pixels), one with a quoted pixels field as pandas writes.
def fer_pixels(seed):
    return " ".join(str((seed * 13 + i) % 256) for i in range(48 * 48))
write("fer2013/fer2013.csv", "\n".join([
    "emotion,pixels,Usage",
    f"3,{fer_pixels(1)},Training",
    "0,1 2 3 4 5,PublicTest",
    f'6,"{fer_pixels(2)}",PrivateTest',
    "",
]))

# RAF-DB basic: aligned PNG, original-only PNG, an aligned JPEG (as RAF-DB ships), a missing image, a bad label.
png("rafdb/Image/aligned/train_00001_aligned.png", 30)
png("rafdb/Image/original/train_00002.png", 31)
png("rafdb/Image/aligned/test_0001_aligned.jpg", 32, "JPEG")
write("rafdb/EmoLabel/list_patition_label.txt", "\n".join([
    "train_00001.jpg 5",
    "train_00002.jpg 4",
    "test_0001.jpg 1",
    "test_0002.jpg 7",
    "test_0003.jpg 9",
    "",
]))

# AffectNet: the header as shipped, semicolon landmarks, expression 8 (no emotion), a bad row; in the
# validation list a JPEG read as it ships, a JPEG whose PNG twin is read instead, and a BMP skipped.
png("affectnet/Manually_Annotated_Images/689/abc.png", 40)
png("affectnet/Manually_Annotated_Images/12/def.png", 41)
png("affectnet/Manually_Annotated_Images/12/ghi.png", 42)
png("affectnet/Manually_Annotated_Images/12/jkl.jpg", 43, "JPEG")
png("affectnet/Manually_Annotated_Images/12/mno.jpg", 44, "JPEG")
png("affectnet/Manually_Annotated_Images/12/mno.png", 44)
png("affectnet/Manually_Annotated_Images/12/pqr.bmp", 45, "BMP")
header = "subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal"
write("affectnet/Manually_Annotated_file_lists/training.csv", "\n".join([
    header,
    "689/abc.jpg,10,10,100,100,1.0;2.0;3.0;4.0,7,-0.5,0.6",
    "12/def.png,0,0,50,50,1;2,8,0,0",
    "12/ghi.png,0,0,50,50,1;2,x,0,0",
    "",
]))
write("affectnet/Manually_Annotated_file_lists/validation.csv", "\n".join([
    header,
    "12/ghi.png,0,0,50,50,1;2,3,0.1,0.2",
    "12/jkl.jpg,0,0,50,50,1;2,1,0,0",
    "12/mno.jpg,0,0,50,50,1;2,2,0,0",
    "12/pqr.bmp,0,0,50,50,1;2,4,0,0",
    "",
]))

with open(os.path.join(HERE, "hashes.txt"), "w") as f:
    for base, _, files in sorted(os.walk(HERE)):
        for name in sorted(files):
            if name.endswith(".png") or name.endswith(".csv"):
                path = os.path.join(base, name)
                with open(path, "rb") as g:
                    f.write(f"{hashlib.sha256(g.read()).hexdigest()}  {os.path.relpath(path, HERE)}\n")
