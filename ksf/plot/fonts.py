"""Fonts that can draw a plot's text: a CJK font for Chinese, or a clear word on what to install.

matplotlib's default font, DejaVu Sans, has no Chinese glyphs: it draws 毛利率 as empty
boxes and warns once per character. Text with a character DejaVu lacks is drawn in the
first installed font of `CJK_FAMILIES`, DejaVu Sans behind it for anything else. matplotlib
keeps its list of fonts in a cache written the first time it ran, so a font installed after
that (``apt install fonts-noto-cjk``) is not in the list: when no CJK family is, the
system's font files the list lacks are added to it (in this process) and it is asked again.

Only matplotlib's own font objects are used (``font_manager``, ``ft2font`` charmaps); the
font manager is imported when a plot is first drawn (`_fonts`), as matplotlib is optional.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ksf.catalogue import io as say
from ksf.optional import requires

# In order of preference: the Debian and Google font first (what tests/setup_env.sh
# installs), then the same design under Adobe's name, then Windows', macOS' and the older
# Linux fonts an HR office may have. The JP face of Noto's collection draws the same
# characters, with Japanese forms for a few.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK JP",
)
LATIN = "DejaVu Sans"  # matplotlib ships it, so it is always there
ADVICE = (  # what the message recommends, whatever the list holds on this machine
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, "
    "WenQuanYi Zen Hei or WenQuanYi Micro Hei"
)

INSTALL = "apt install fonts-noto-cjk"


class MissingFontError(ValueError):
    """The plot has text that no installed font can draw (Chinese, with no CJK font)."""

    @classmethod
    def for_text(cls, text: str, lacking: Iterable[str]) -> MissingFontError:
        """The one-line message, in English and Chinese, naming the fonts to install.

        It shows the first few letters of ``text`` that are in ``lacking``, in order.
        """
        missing = set(lacking)
        shown = "".join([c for c in dict.fromkeys(text) if c in missing and c.isalpha()][:8])
        names, _, last = ADVICE.rpartition(" or ")
        advice = say.ONE_OF(names=names, last=last)  # ADVICE, with 或 for "or" in Chinese
        return cls(say.NO_CJK_FONT(shown=shown, advice=advice, install=INSTALL))


def families_for(texts: Iterable[str]) -> list[str]:
    """The font families to draw ``texts`` with: DejaVu Sans alone when it has every glyph.

    Raises:
        MissingFontError: a character DejaVu Sans lacks, and no CJK font is installed.
    """
    joined = "\n".join(texts)
    lacking = uncovered(joined, [LATIN])
    if not lacking:
        return [LATIN]
    cjk = cjk_family()
    if cjk is None:
        raise MissingFontError.for_text(joined, lacking)
    return [cjk, LATIN]


def cjk_family() -> str | None:
    """The first of `CJK_FAMILIES` matplotlib can find, after a look for newer font files."""
    found = _first_cjk()
    if found is None and _add_new_system_fonts():
        found = _first_cjk()
    return found


def _first_cjk() -> str | None:
    names = {entry.name for entry in _fonts().fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def _add_new_system_fonts() -> bool:
    """Add the system's font files matplotlib's cached list lacks; True if there were any."""
    known = {entry.fname for entry in _fonts().fontManager.ttflist}
    added = False
    for path in _fonts().findSystemFonts():
        if path not in known:
            try:
                _fonts().fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                continue
            added = True
    return added


def uncovered(text: str, families: Sequence[str]) -> set[str]:
    """The characters of ``text`` that none of the fonts of ``families`` has a glyph for.

    Spaces and line breaks are not drawn, so they need no glyph. A family matplotlib cannot
    find covers nothing.
    """
    covered: set[int] = set()
    for family in families:
        covered |= _charmap(family)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}


_CHARMAPS: dict[str, frozenset[int]] = {}  # only fonts found: a font installed later is seen


def _charmap(family: str) -> frozenset[int]:
    """The code points the font matplotlib picks for ``family`` maps to glyphs."""
    if family not in _CHARMAPS:
        try:
            path = _fonts().findfont(
                _fonts().FontProperties(family=[family]), fallback_to_default=False
            )
        except ValueError:
            return frozenset()
        _CHARMAPS[family] = frozenset(_fonts().get_font(path).get_charmap())
    return _CHARMAPS[family]


def _fonts() -> Any:
    """Matplotlib's font manager, imported when a plot is drawn (matplotlib is optional)."""
    with requires("matplotlib", "ksf plot", "plot"):
        from matplotlib import font_manager
    return font_manager
