"""read_picture: image files of every kind read as the gray levels a viewer shows.

Every picture is made here with Pillow, in tmp_path; the two real cases in
../shared/cases (beside the checkout) are only read (the tests skip if that folder is absent).
"""

import struct
import sys
import tracemalloc
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps, PngImagePlugin

from digitnet.picture import MAX_SIDE, PictureWarning, read_picture

from conftest import CASES, shared_folder


def seven(height=60, width=40):
    """A "7", asymmetric under every flip and turn: True where the ink is."""
    ink = np.zeros((height, width), dtype=bool)
    ink[8:14, 6:34] = True  # the bar
    for row in range(14, 52):  # the stroke, leaning left as it goes down
        column = 30 - (row - 14) // 3
        ink[row, column - 3 : column + 3] = True
    return ink


def levels(ink, dark=True):
    """The ink mask as gray levels 0.0-1.0: dark ink on white paper, or light on black."""
    return np.where(ink, 0.0, 1.0) if dark else np.where(ink, 1.0, 0.0)


def saved(picture, path, **options):
    picture.save(path, **options)
    return path


def assert_levels(gray, ink, ink_level, paper_level, tolerance):
    """`gray` is a 2-D float64 array in 0..1 with the ink and paper at the given levels."""
    assert gray.dtype == np.float64 and gray.shape == ink.shape
    assert 0.0 <= gray.min() and gray.max() <= 1.0
    assert np.median(gray[ink]) == pytest.approx(ink_level, abs=tolerance)
    assert np.median(gray[~ink]) == pytest.approx(paper_level, abs=tolerance)


def only_picture_warnings(caught):
    """The messages of `caught` (a pytest.warns record), all of them PictureWarnings.

    (pytest.warns would also re-raise any other warning as an error, by this
    project's ``filterwarnings = error``.)
    """
    assert all(w.category is PictureWarning for w in caught), [
        f"{w.category.__name__}: {w.message}" for w in caught
    ]
    return [str(w.message) for w in caught]


# ----------------------------------------------------------------- 1. orientation

#: EXIF orientation tag -> the stored pixels of a picture shown as `shown`.
STORED = {
    1: lambda shown: shown,
    2: lambda shown: shown[:, ::-1],
    3: lambda shown: shown[::-1, ::-1],
    4: lambda shown: shown[::-1],
    5: lambda shown: shown.T,
    6: lambda shown: np.rot90(shown),  # shown turned 90 degrees clockwise
    7: lambda shown: shown[::-1, ::-1].T,
    8: lambda shown: np.rot90(shown, -1),
}


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
@pytest.mark.parametrize("tag", sorted(STORED))
def test_exif_orientation_is_applied(tmp_path, suffix, tag):
    shown = seven()
    stored = np.ascontiguousarray(STORED[tag](levels(shown)))
    exif = Image.Exif()
    exif[0x0112] = tag
    path = saved(Image.fromarray(np.uint8(255 * stored)), tmp_path / f"seven{suffix}", exif=exif)
    gray = read_picture(path)
    with Image.open(path) as picture:  # Pillow's own reading of the tag agrees
        viewer = np.asarray(ImageOps.exif_transpose(picture).convert("L")) / 255
    assert gray.shape == viewer.shape == shown.shape
    tolerance = 0.0 if suffix == ".png" else 0.06
    assert np.abs(gray - viewer).max() <= tolerance + 1e-12
    assert_levels(gray, shown, 0.0, 1.0, tolerance)
    if tag != 1:  # the tag matters: the pixels as stored are not the picture shown
        assert stored.shape != shown.shape or (np.abs(stored - levels(shown)) > 0.5).any()


def test_exif_orientation_case_file_is_read_upright():
    """A photo of a 7 stored on its side with orientation 6: the bar must be at the top."""
    path = shared_folder(CASES) / "exif-orientation-6-seven-read-as-0.jpg"
    gray = read_picture(path)
    rows = np.flatnonzero((gray < 0.5).any(axis=1))
    columns = np.flatnonzero((gray < 0.5).any(axis=0))
    ink = gray[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1] < 0.5
    widths = ink.sum(axis=1)
    top, bottom = widths[: len(widths) // 5], widths[-len(widths) // 5 :]
    assert top.mean() > 2.5 * bottom.mean()  # a 7: a long bar on top, one stroke below
    # the stroke's lower end lies left of its top, as a 7's does
    right_top = np.flatnonzero(ink[len(ink) // 5])[-1]
    right_bottom = np.flatnonzero(ink[-2])[-1]
    assert right_bottom < right_top


# ----------------------------------------------------------------------- 2. modes


def in_mode(gray, mode):
    """Gray levels 0.0-1.0 as a Pillow image of `mode` (I and F at their own scale)."""
    if mode == "I;16":
        return Image.fromarray(np.round(gray * 65535).astype(np.uint16))
    if mode == "I;16B":
        return Image.fromarray(np.round(gray * 65535).astype(">u2"))
    if mode == "I":  # 16-bit data in a 32-bit integer picture (how Pillow may open a PNG)
        return Image.fromarray(np.round(gray * 65535).astype(np.int32))
    if mode == "I-32":  # the full 32-bit range
        return Image.fromarray(np.round(gray * (2**31 - 1)).astype(np.int32))
    if mode == "F":
        return Image.fromarray(gray.astype(np.float32))
    if mode == "F-255":
        return Image.fromarray((gray * 255).astype(np.float32))
    return Image.fromarray(np.uint8(np.round(255 * gray))).convert(mode)


MODE_FILES = [
    ("1", ".png"), ("1", ".bmp"), ("L", ".png"), ("L", ".jpg"), ("P", ".png"),
    ("P", ".gif"), ("RGB", ".png"), ("RGB", ".jpg"), ("RGBA", ".png"), ("LA", ".png"),
    ("PA", ".tif"), ("CMYK", ".tif"), ("CMYK", ".jpg"), ("I;16", ".png"), ("I;16", ".tif"),
    ("I;16B", ".tif"), ("I", ".tif"), ("I-32", ".tif"), ("F", ".tif"), ("F-255", ".tif"),
]


@pytest.mark.parametrize("dark", [True, False], ids=["dark-on-light", "light-on-dark"])
@pytest.mark.parametrize(("mode", "suffix"), MODE_FILES)
def test_every_mode_is_read_at_its_own_range(tmp_path, mode, suffix, dark):
    ink = seven()
    path = saved(in_mode(levels(ink, dark), mode), tmp_path / f"seven{suffix}")
    with Image.open(path) as picture:  # the file really holds that mode
        assert picture.mode == mode.split("-")[0]
    gray = read_picture(path)
    tolerance = 0.05 if suffix == ".jpg" else 1e-6
    assert_levels(gray, ink, 0.0 if dark else 1.0, 1.0 if dark else 0.0, tolerance)


def test_colour_becomes_its_luma(tmp_path):
    """ITU-R 601-2 luma, as Pillow's convert("L"): red ink on cream paper."""
    rgb = np.empty((30, 20, 3), dtype=np.uint8)
    rgb[...] = (250, 240, 200)
    rgb[5:25, 8:12] = (200, 30, 30)
    gray = read_picture(saved(Image.fromarray(rgb), tmp_path / "red.png"))
    luma = lambda r, g, b: (299 * r + 587 * g + 114 * b) / 1000 / 255  # noqa: E731
    assert gray[10, 10] == pytest.approx(luma(200, 30, 30), abs=0.5 / 255)
    assert gray[0, 0] == pytest.approx(luma(250, 240, 200), abs=0.5 / 255)


def test_sixteen_bit_keeps_levels_between_eight_bit_ones(tmp_path):
    values = np.array([[0, 1, 257, 300, 32768, 65534, 65535]], dtype=np.uint16)
    gray = read_picture(saved(Image.fromarray(values), tmp_path / "fine.png"))
    np.testing.assert_allclose(gray, values / 65535, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 300, 65535], [0.0, 300 / 65535, 1.0]),  # 16-bit data, opened as mode I
        ([0, 65536, 2**30, 2**31 - 1], [0.0, 65536 / (2**31 - 1), 0.5, 1.0]),  # 32-bit
    ],
)
def test_32_bit_integer_levels(tmp_path, values, expected):
    path = saved(Image.fromarray(np.array([values], dtype=np.int32)), tmp_path / "i.tif")
    np.testing.assert_allclose(read_picture(path), [expected], rtol=1e-6, atol=1e-9)


def test_float_tiff_case_file_is_not_blank():
    """A float TIFF of 0.0-1.0: a dark 7 on white, not a blank picture."""
    path = shared_folder(CASES) / "float-tiff-mode-F-0to1-read-as-blank.tif"
    gray = read_picture(path)
    assert gray.min() == pytest.approx(0.0, abs=0.05) and gray.max() == pytest.approx(1.0)
    assert np.median(gray) > 0.9  # white paper, with dark ink on about a tenth of it
    assert 0.03 < (gray < 0.5).mean() < 0.3


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([[0.0, np.nan]], "NaN or infinite"),
        ([[0.0, np.inf]], "values from 0 to inf"),
        ([[-1.25, 0.5]], "values from -1.25 to 0.5"),
        ([[0.0, 300.0]], "values from 0 to 300"),
    ],
)
def test_float_pictures_outside_their_ranges_are_refused(tmp_path, values, message):
    path = saved(Image.fromarray(np.array(values, dtype=np.float32)), tmp_path / "odd.tif")
    with pytest.raises(ValueError, match=message) as error:
        read_picture(path)
    assert str(error.value).count(str(path)) == 1
    assert "0.0-1.0 (or 0-255)" in str(error.value)


def test_float_pictures_a_little_outside_0_to_1_are_read_as_0_to_1(tmp_path):
    """Rounding or filtering overshoots 0.0-1.0 a little: that is not 0-255 data."""
    values = np.array([[-0.0001, 0.5, 1.0001]], dtype=np.float32)
    path = saved(Image.fromarray(values), tmp_path / "overshoot.tif")
    np.testing.assert_allclose(read_picture(path), [[0.0, 0.5, 1.0]], atol=1e-6)


def test_negative_integer_pictures_are_refused(tmp_path):
    path = saved(Image.fromarray(np.array([[-5, 1000]], dtype=np.int32)), tmp_path / "neg.tif")
    with pytest.raises(ValueError, match="values from -5 to 1000; gray levels cannot be negative"):
        read_picture(path)


# ----------------------------------------------------------------- 3. transparency


def transparent(ink, colour, mode="RGBA", paper_colour=(0, 0, 0)):
    """Strokes of `colour` where `ink`, fully transparent elsewhere, as a Pillow image."""
    rgba = np.zeros(ink.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = paper_colour
    rgba[ink] = (*colour, 255)
    return Image.fromarray(rgba).convert(mode)


@pytest.mark.parametrize("hidden", [(0, 0, 0), (255, 255, 255)], ids=["black", "white"])
def test_white_strokes_on_transparency_come_out_light_on_black(tmp_path, hidden):
    """Today's reading lays them on white: white on white, a blank picture."""
    ink = seven()
    path = saved(transparent(ink, (255, 255, 255), paper_colour=hidden), tmp_path / "w.png")
    assert_levels(read_picture(path), ink, 1.0, 0.0, 1e-9)


@pytest.mark.parametrize("hidden", [(0, 0, 0), (255, 255, 255)], ids=["black", "white"])
def test_black_strokes_on_transparency_come_out_dark_on_white(tmp_path, hidden):
    ink = seven()
    path = saved(transparent(ink, (0, 0, 0), paper_colour=hidden), tmp_path / "b.png")
    assert_levels(read_picture(path), ink, 0.0, 1.0, 1e-9)


def test_blue_strokes_on_transparency_come_out_dark_on_white(tmp_path):
    ink = seven()
    gray = read_picture(saved(transparent(ink, (0, 0, 255)), tmp_path / "blue.png"))
    assert_levels(gray, ink, 29 / 255, 1.0, 1e-9)  # blue's luma: 0.114


def test_soft_edges_are_laid_on_the_paper(tmp_path):
    """Half-transparent white over a transparent background: halfway to the black paper."""
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)
    rgba[5:15, 5:15] = (255, 255, 255, 255)
    rgba[5:15, 9] = (255, 255, 255, 128)
    gray = read_picture(saved(Image.fromarray(rgba), tmp_path / "soft.png"))
    assert gray[10, 9] == pytest.approx(128 / 255, abs=1 / 255)
    assert gray[10, 5] == 1.0 and gray[0, 0] == 0.0


def test_transparent_margin_of_an_opaque_sheet_takes_the_sheet_gray(tmp_path):
    """A light-gray sheet with black strokes, its margin transparent: the margin is paper."""
    ink = np.zeros((100, 80), dtype=bool)
    ink[30:70, 38:44] = True
    rgba = np.zeros((100, 80, 4), dtype=np.uint8)  # transparent black margin
    rgba[10:90, 10:70] = (230, 230, 230, 255)
    rgba[ink] = (0, 0, 0, 255)
    gray = read_picture(saved(Image.fromarray(rgba), tmp_path / "sheet.png"))
    assert np.all(gray[:10] == pytest.approx(230 / 255))  # the margin
    assert np.all(gray[~ink] == pytest.approx(230 / 255))
    assert np.all(gray[ink] == 0.0)


def test_fully_transparent_picture_is_uniform(tmp_path):
    gray = read_picture(saved(Image.new("RGBA", (30, 20), (10, 200, 30, 0)), tmp_path / "t.png"))
    assert gray.shape == (20, 30) and np.ptp(gray) == 0


def test_opaque_alpha_is_ignored(tmp_path):
    ink = seven()
    rgba = transparent(ink, (255, 255, 255), paper_colour=(40, 40, 40))
    rgba.putalpha(255)
    assert_levels(read_picture(saved(rgba, tmp_path / "opaque.png")), ink, 1.0, 40 / 255, 1e-9)


@pytest.mark.parametrize("colour", [(255, 255, 255), (0, 0, 0)])
def test_palette_picture_with_a_transparent_index(tmp_path, colour):
    ink = seven()
    picture = Image.fromarray(ink.astype(np.uint8), "L").convert("P")
    picture.putpalette([128, 128, 128, *colour])  # index 0: the (transparent) background
    path = saved(picture, tmp_path / "palette.png", transparency=0)
    with Image.open(path) as check:
        assert check.mode == "P" and check.info["transparency"] == 0
    light = colour == (255, 255, 255)
    assert_levels(read_picture(path), ink, 1.0 if light else 0.0, 0.0 if light else 1.0, 1e-9)


def test_palette_picture_with_alpha_per_entry(tmp_path):
    """Transparency as bytes, one alpha per palette entry (PNG's tRNS for palettes)."""
    ink = seven()
    picture = Image.fromarray(ink.astype(np.uint8), "L").convert("P")
    picture.putpalette([0, 0, 0, 255, 255, 255, 128, 128, 128])  # 2: half transparent, unused
    path = saved(picture, tmp_path / "palette.png", transparency=b"\x00\xff\x80")
    with Image.open(path) as check:
        assert isinstance(check.info["transparency"], bytes)
    assert_levels(read_picture(path), ink, 1.0, 0.0, 1e-9)


def test_palette_picture_without_transparency(tmp_path):
    ink = seven()
    picture = Image.fromarray(ink.astype(np.uint8), "L").convert("P")
    picture.putpalette([255, 255, 255, 0, 0, 128])
    assert_levels(read_picture(saved(picture, tmp_path / "p.png")), ink, 15 / 255, 1.0, 1e-9)


@pytest.mark.parametrize("level", [255, 0])
def test_gray_with_alpha(tmp_path, level):
    ink = seven()
    gray = read_picture(saved(transparent(ink, (level,) * 3, mode="LA"), tmp_path / "la.png"))
    assert_levels(gray, ink, level / 255, 1.0 - level / 255, 1e-9)


def test_gray_with_a_transparent_level(tmp_path):
    """An L picture whose level 0 is transparent (PNG tRNS): white strokes on transparency."""
    ink = seven()
    path = saved(Image.fromarray(np.uint8(255 * ink)), tmp_path / "key.png", transparency=0)
    assert_levels(read_picture(path), ink, 1.0, 0.0, 1e-9)


# --------------------------------------------------------------------- 4. big files


def big_picture(width=6000, height=4000):
    """A photo-sized white picture with a 3-pixel dark line and a dark block."""
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([600, 600, 1799, 1199], fill="black")  # 1200 x 600 pixels
    draw.line([(3000, 300), (3000, 3700)], fill="black", width=3)  # 3 x 3401 pixels
    return picture


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_big_picture_is_reduced_by_box_averaging_within_bounded_memory(tmp_path, suffix):
    picture = big_picture()
    pixels = picture.width * picture.height
    options = {"compress_level": 1} if suffix == ".png" else {}  # a quick PNG
    path = saved(picture, tmp_path / f"big{suffix}", **options)
    del picture
    tracemalloc.start()
    try:
        gray = read_picture(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # no full-size array: 8 bytes a pixel would be 192 MB; even 1 byte a pixel is too much
    assert peak < pixels, f"peak {peak / 1e6:.1f} MB for {pixels / 1e6:.0f} megapixels"
    assert MAX_SIDE / 2 < max(gray.shape) <= MAX_SIDE
    factor = 6000 / gray.shape[1]
    assert gray.shape == (round(4000 / factor), round(6000 / factor))
    # box-averaging keeps every dark pixel's share of darkness, the thin line's too
    darkness = (1 - gray).sum() * factor**2
    assert darkness == pytest.approx(1200 * 600 + 3 * 3401, rel=0.02)
    line = 1 - gray[gray.shape[0] // 2, round(2990 / factor) : round(3010 / factor)]
    assert line.sum() * factor == pytest.approx(3, rel=0.15)
    inside = slice(round(700 / factor), round(1100 / factor))
    assert gray[inside, inside].max() < 0.05  # the block stays black


@pytest.mark.parametrize("size", [(60, 40), (1500, 900)])
def test_reduced_band_by_band_is_pillows_reduce_of_the_whole(tmp_path, size):
    """1500 x 900 is reduced by 2 in two bands: the seam must not show."""
    noise = np.random.default_rng(0).integers(0, 256, size[::-1] + (3,), dtype=np.uint8)
    path = saved(Image.fromarray(noise), tmp_path / "noise.png")
    with Image.open(path) as picture:
        expected = np.asarray(picture.convert("L").reduce(-(-max(size) // MAX_SIDE))) / 255
    np.testing.assert_array_equal(read_picture(path), expected)


def test_big_transparent_picture_is_reduced_then_laid_on_paper(tmp_path):
    """White strokes on transparency, reduced by 2 (premultiplied): light on black."""
    ink = np.kron(seven(), np.ones((30, 30), dtype=bool))  # 1800 x 1200
    gray = read_picture(saved(transparent(ink, (255, 255, 255)), tmp_path / "big.png"))
    assert gray.shape == (900, 600)
    assert_levels(gray, ink[::2, ::2], 1.0, 0.0, 1e-9)
    assert gray.sum() * 4 == pytest.approx(ink.sum())


@pytest.mark.parametrize("size", [(1200, 1000), (2000, 1200)])
def test_pictures_over_pillows_limit(tmp_path, monkeypatch, size):
    path = saved(Image.new("L", size, 255), tmp_path / "big.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    if size == (2000, 1200):  # over twice the limit: refused
        with pytest.raises(ValueError) as error:
            read_picture(path)
        assert str(error.value) == (
            f"{path} is 2.4 megapixels, more than the 2.0 megapixels that digitnet reads "
            "safely; shrink it (e.g. to 2,000 pixels on the longer side) and try again"
        )
        return
    with pytest.warns(PictureWarning) as caught:
        gray = read_picture(path)
    assert only_picture_warnings(caught) == [
        f"{path}: 1.2 megapixels, more than the 1.0 Pillow reads without warning; read it "
        "reduced to 600 pixels on its longer side"
    ]
    assert gray.shape == (500, 600) and np.all(gray == 1.0)


# ------------------------------------------------------------------ 5. warnings


def test_damaged_exif_is_a_picture_warning(tmp_path):
    """Pillow warns of an EXIF tag whose data would lie past the end; the picture is read."""
    entries = [(0x0112, 3, 1, 6), (0x010E, 2, 5000, 100)]  # orientation 6, a 5000-byte text
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries)
    exif = b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    path = saved(Image.new("L", (40, 30), 200), tmp_path / "photo.jpg", exif=exif)
    with pytest.warns(PictureWarning) as caught:
        gray = read_picture(path)
    assert gray.shape == (40, 30)  # turned: the orientation tag was still read
    (message,) = only_picture_warnings(caught)
    assert message.startswith(f"{path}: ") and message.count(str(path)) == 1
    assert "Tag data larger than file" in message and "\n" not in message


def test_invalid_animation_chunk_is_a_picture_warning(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add(b"acTL", struct.pack(">II", 0, 0))  # an APNG of zero frames
    path = saved(Image.new("L", (40, 30), 0), tmp_path / "anim.png", pnginfo=info)
    with pytest.warns(PictureWarning) as caught:
        gray = read_picture(path)
    assert only_picture_warnings(caught) == [
        f"{path}: read, but Pillow warned: Invalid APNG, will use default PNG image if possible"
    ]
    assert gray.shape == (30, 40) and np.all(gray == 0.0)


def test_clean_picture_gives_no_warning(tmp_path):
    """(Any warning would fail the test: pytest runs with filterwarnings = error.)"""
    read_picture(saved(Image.new("RGB", (40, 30), "white"), tmp_path / "clean.png"))


# --------------------------------------------------------------------- 6. errors


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^no image file at .*nothing\.png$"):
        read_picture(tmp_path / "nothing.png")


def test_folder(tmp_path):
    with pytest.raises(ValueError, match="is a folder, not an image file") as error:
        read_picture(tmp_path)
    assert str(error.value).count(str(tmp_path)) == 1


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEIC, "is a HEIC picture (the iPhone's format), which Pillow cannot read without a "
               "plugin: export it as JPEG or PNG (or `pip install pillow-heif`)"),
        (b"hello, not a picture", "is not a picture Pillow can read (no format Pillow knows "
                                  "begins like it); give a PNG or JPEG file"),
        (b"", "is not a picture Pillow can read (the file is empty)"),
        ("png", "is truncated: the file ends before the picture does"),
        ("jpg", "is truncated: the file ends before the picture does"),
        ("png-header", "begins like a PNG file, but Pillow cannot read it: it is probably "
                       "truncated or damaged"),
        ("jpg-header", "is truncated: the file ends before the picture does"),
    ],
)
def test_unreadable_files_get_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # not installed
    path = tmp_path / "digit.img"
    if isinstance(content, str):
        suffix, _, part = content.partition("-")
        full = saved(Image.effect_noise((64, 64), 60), tmp_path / f"whole.{suffix}").read_bytes()
        content = full[:30] if part else full[: len(full) * 2 // 3]
    path.write_bytes(content)
    with pytest.raises(ValueError) as error:
        read_picture(path)
    text = str(error.value)
    assert message in text
    assert text.startswith(str(path)) and text.count(str(path)) == 1 and "\n" not in text


def test_heic_with_pillow_heif_installed(tmp_path, monkeypatch):
    """pillow-heif, if installed, is registered with Pillow and the file tried again."""
    registered = []
    fake = types.ModuleType("pillow_heif")
    fake.register_heif_opener = lambda: registered.append(True)  # registers nothing
    monkeypatch.setitem(sys.modules, "pillow_heif", fake)
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(HEIC)
    with pytest.raises(ValueError, match="is a HEIC picture .* that even pillow-heif could not"):
        read_picture(path)
    assert registered == [True]


def test_path_given_as_a_string(tmp_path):
    path = saved(Image.new("L", (3, 2), 0), tmp_path / "small.png")
    assert read_picture(str(path)).shape == (2, 3)


@pytest.mark.parametrize("suffix", [".gif", ".png", ".webp"])
def test_animation_gives_its_first_frame(tmp_path, suffix):
    ink = seven()
    frames = [Image.fromarray(np.uint8(255 * levels(ink))), Image.new("L", (40, 60), 0)]
    frames = [frame.convert("RGB") for frame in frames]
    path = saved(frames[0], tmp_path / f"anim{suffix}", save_all=True,
                 append_images=frames[1:], duration=100, lossless=True)
    with Image.open(path) as picture:
        assert getattr(picture, "n_frames", 1) == 2
    assert_levels(read_picture(path), ink, 0.0, 1.0, 1e-9)
