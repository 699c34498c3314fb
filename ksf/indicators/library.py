"""The standard indicator library's source text (``standard.ksf``), read as package data."""

from __future__ import annotations

from importlib import resources

from ksf.source import Source


def standard_source() -> Source:
    """``standard.ksf``: the standard indicators, written in the ksf language itself."""
    text = resources.files("ksf.indicators").joinpath("standard.ksf").read_text("utf-8")
    return Source(text, "ksf/indicators/standard.ksf")
