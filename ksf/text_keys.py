"""Group numbers of text keys with no Python string per row (`ksf.groups`, LANGUAGE.md §11).

ksf holds text as fixed-width NumPy strings (4-byte code points); turning a million of them
into Python strings to hash them costs several times the aggregate itself. Here each key's
characters are packed into 64-bit words and those numbers are hashed instead.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import numpy.typing as npt

from ksf._typing import AnyArray, BoolArray, IntArray


def text_codes(keys: AnyArray) -> tuple[IntArray, int, int | None]:
    """Group numbers of text keys, hashed with no Python string per row.

    Each key's characters, packed into 64-bit words (`_packed`), are the key exactly. One
    word (up to 8 Latin characters, 4 Chinese ones) is hashed after a one-to-one mix, so
    keys and hashes match exactly; longer keys are hashed from their words, and a group
    whose rows' words differ (two keys with one hash) sends the column to Python strings.
    The empty key (no characters: words of zeros) is found among the groups, not the rows.
    """
    if keys.dtype.kind != "U" or keys.size == 0 or keys.dtype.itemsize == 0:
        return _object_codes(keys)
    words = _packed(keys)
    if words.shape[1] == 1:  # one word: the key mixed one-to-one, and "" mixes to 0
        codes, uniques = _factorize(_narrow(words[:, 0]))
        blank = _first(uniques == 0)  # "" or a key whose differing bits are zeros ("team")
        if blank is not None and words[int(np.argmax(codes == blank)), 0] != 0:
            blank = None
        return codes, len(uniques), blank
    # Multiplying by an odd number is one-to-one and spreads the characters into the high
    # half, which pandas' hash reads ("team0001" … differ only in their last bytes).
    key = words[:, 0] * _MIX
    for column in range(1, words.shape[1]):
        key ^= words[:, column]
        key *= _MIX
    codes, uniques = _factorize(key.view(np.int64))
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes] = np.arange(len(codes))  # a row of each group
    if not np.array_equal(words[first][codes], words):
        return _object_codes(keys)
    return codes, len(uniques), _first(keys[first] == "")


def _first(found: BoolArray) -> int | None:
    """The first group number where ``found`` holds, or None."""
    where = np.flatnonzero(found)
    return int(where[0]) if len(where) else None


# Odd numbers: multiplying by one modulo 2^64 (2^32) is one-to-one (the golden ratio's bits).
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX32 = np.uint32(0x9E3779B1)
_LOW = 0 if sys.byteorder == "little" else 1  # where a 64-bit word's low half sits


def _narrow(word: npt.NDArray[np.uint64]) -> npt.NDArray[np.signedinteger[Any]]:
    """One-word keys mixed one-to-one, as 32-bit numbers when their differing bits fit.

    "team0001" to "team9999" differ only in their last four bytes: those bits alone tell
    the keys apart, and a 32-bit hash table is smaller and faster. The mix (a multiply and
    an xor-shift) keeps every key apart and 0 (the empty key) at 0.
    """
    # Bits set in some word but not in all: the bits where keys differ (two reductions).
    differ = int(np.bitwise_or.reduce(word)) ^ int(np.bitwise_and.reduce(word))
    halves = word.view(np.uint32).reshape(-1, 2)
    if differ < 1 << 32:
        narrow = halves[:, _LOW] * _MIX32
    elif differ & 0xFFFFFFFF == 0:
        narrow = halves[:, 1 - _LOW] * _MIX32
    else:
        low = (differ & -differ).bit_length() - 1
        if differ >> low >= 1 << 32:
            return (word * _MIX).view(np.int64)
        narrow = (word >> np.uint64(low)).astype(np.uint32)
        narrow *= _MIX32
    narrow ^= narrow >> np.uint32(16)
    mixed: npt.NDArray[np.signedinteger[Any]] = narrow.view(np.int32)
    return mixed


def _packed(keys: AnyArray) -> npt.NDArray[np.uint64]:
    """Fixed-width strings as rows of 64-bit words: 1, 2 or 4 bytes a character.

    NumPy holds a string as 4-byte code points padded with zeros; a character below 256
    (or 65,536) in every key fits in 1 (or 2) bytes, so the words are fewer and the same
    keys give the same words and different keys different ones.
    """
    n, width = len(keys), keys.dtype.itemsize // 4
    chars = np.ascontiguousarray(keys).view(np.uint32).reshape(n, width)
    top = int(chars.max()) if chars.size else 0
    size = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    per_word = 8 // size
    if chars.shape[1] % per_word == 0:  # whole words already: one pass, no padding
        words: npt.NDArray[np.uint64] = chars.astype(f"u{size}").view(np.uint64)
        return words
    packed = np.zeros((n, -(-width // per_word) * per_word), dtype=f"u{size}")
    packed[:, : chars.shape[1]] = chars
    padded: npt.NDArray[np.uint64] = packed.view(np.uint64)
    return padded


def _factorize(
    key: npt.NDArray[np.signedinteger[Any]],
) -> tuple[IntArray, npt.NDArray[np.signedinteger[Any]]]:
    """Group numbers of integer keys and each group's key: pandas' hash table, or a sort."""
    try:
        import pandas as pd  # optional: factorize hashes in C
    except ImportError:
        uniques, inverse = np.unique(key, return_inverse=True)
        return inverse.reshape(-1).astype(np.intp, copy=False), uniques
    # pandas sizes its table for every row to be a group: 1M rows make a table far
    # larger than the cache. One for 65,536 groups stays in it (and grows if need be).
    codes, uniques = pd.factorize(key, size_hint=min(len(key), 1 << 16))
    return np.asarray(codes, dtype=np.intp), np.asarray(uniques)


def _object_codes(keys: AnyArray) -> tuple[IntArray, int, int | None]:
    """Group numbers of keys as Python strings: pandas' hash table when installed, else a sort.

    ``np.unique`` on Python strings compares them one pair at a time, ten times slower
    than hashing; pandas is an optional library, so a sort of fixed-width strings stands in.
    """
    try:
        import pandas as pd  # optional: factorize hashes in C
    except ImportError:
        uniques, inverse = np.unique(keys.astype(np.str_), return_inverse=True)
        codes = inverse.reshape(-1).astype(np.intp, copy=False)
        return codes, len(uniques), _first(uniques == "")
    codes, uniques = pd.factorize(np.asarray(keys, dtype=object))
    return np.asarray(codes, dtype=np.intp), len(uniques), _first(np.asarray(uniques) == "")
