"""Fonts for the printed flyer and the council's report: the font families installed as Python
packages (fontpkg: Noto Sans, Noto Sans Arabic, …), which characters each has, and which of them a
text needs.

A page is printed in the family that has most of its characters, with the others as fallbacks for
the rest. So a language in another script needs its font package installed, never a code change.
The packaged fonts are variable: their outlines are the regular weight, and the bold one is made
here for the few characters in bold (headings, the number): instancing a whole font takes seconds.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF

REGULAR, BOLD = 400, 700  # the weights printed


@dataclass(frozen=True)
class Family:
    name: str  # fontpkg's slug, e.g. "noto-sans-arabic": the family's name in the PDF too
    path: Path  # the upright font file
    characters: frozenset[int]  # the code points it has a glyph for


@functools.cache
def installed() -> tuple[Family, ...]:
    """Every font family installed as a fontpkg package that has an upright style, by name."""
    found = []
    for slug, family in sorted(fontpkg.families().items()):
        try:
            path = fontpkg.path(family.name, REGULAR, nearest=True)
        except fontpkg.FontpkgError:  # italics only: not for a flyer
            continue
        font = TTFont(path, lazy=True)
        try:
            found.append(Family(slug, path, frozenset(font.getBestCmap())))
        finally:
            font.close()
    return tuple(found)


def needed(text: str) -> list[Family]:
    """The families that together have every character of text: the one with most of them first.
    A character that no installed family has is left out of the print (and said in the log by fpdf2)."""
    wanted = {ord(char) for char in text if not char.isspace()}
    ranked = sorted(installed(), key=lambda family: -len(wanted & family.characters))
    chosen, missing = [], set(wanted)
    for family in ranked:
        if missing & family.characters:
            chosen.append(family)
            missing -= family.characters
    return chosen or ranked[:1]


@functools.lru_cache(maxsize=32)
def bold(family: Family, characters: frozenset[int]) -> bytes | None:
    """The family in bold for these characters (with what shaping uses: ligatures, joined Arabic
    forms, marks), as a static TrueType font; None if the family has no weight axis to make it from.
    (Regular is the packaged file itself: a variable font's outlines are its regular instance.)"""
    font = TTFont(family.path)
    axes = {axis.axisTag: axis for axis in font["fvar"].axes} if "fvar" in font else {}
    if "wght" not in axes:
        return None
    options = subset.Options()
    options.layout_features = ["*"]  # shaping needs every feature: init, medi, fina, liga, mark …
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters & family.characters)
    subsetter.subset(font)
    position = {tag: axis.defaultValue for tag, axis in axes.items()}
    position["wght"] = min(max(BOLD, axes["wght"].minValue), axes["wght"].maxValue)
    out = io.BytesIO()
    instancer.instantiateVariableFont(font, position).save(out)
    return out.getvalue()


def add_to(document: FPDF, families: list[Family], in_bold: frozenset[int], folder: Path) -> None:
    """Give document these families, regular and bold ("B"); fpdf2 reads fonts from files, so the
    bold ones made for the characters in bold are written to folder (which must outlive the output)."""
    for family in families:
        document.add_font(family.name, "", family.path)
        made = bold(family, in_bold)
        if made is not None:
            (folder / f"{family.name}.ttf").write_bytes(made)
        document.add_font(family.name, "B", folder / f"{family.name}.ttf" if made else family.path)
