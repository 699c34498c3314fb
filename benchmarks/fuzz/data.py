"""Adversarial data for the fuzzer, written as Python source that builds it.

A case is source text that, run with numpy (np), pandas (pd), polars (pl), pyarrow (pa),
datetime and decimal imported, defines ``data`` and ``params``; the same text is saved as
the reproducer of a finding, so a finding can be replayed with no harness at all.
"""

from __future__ import annotations

import math
import random

from rules import Meta

PRELUDE = """import datetime, decimal
import numpy as np


def first(*makers):
    \"\"\"The first container that can be built (a typed one, else an untyped one).\"\"\"
    for make in makers[:-1]:
        try:
            return make()
        except Exception:
            pass
    return makers[-1]()


"""
LIBS = {
    "pandas": "import pandas as pd\n",
    "polars": "import polars as pl\n",
    "arrow": "import pyarrow as pa\n",
}

# cells a person or a program might put into a number column
ODD_CELLS: list[object] = [
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -1e308,
    5e-324,
    2.2250738585072014e-308,
    -0.0,
    1e16 + 1,
    0.1 + 0.2,
    "0_3",
    "\u0663",
    "\uff11\uff12",
    " 1 ",
    "1e400",
    "1,200,000",
    "33%",
    "1:3",
    "-",
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "abc",
    "=1+1",
    "\ud800",
    "\x00",
    "1\x00",
    True,
    False,
    None,
    b"12",
    b"\xff",
    [1, 2],
    [],
    {"a": 1},
    (1,),
    2**64 - 1,
    -(2**63),
    2**63,
    2**53 + 1,
    10**400,
    "10" * 200,
    "是",
    "TRUE",
    "0x10",
    "1.5万",
    "\u2212" + "5",
    "(5)",
    "5-",
    "1e-400",
    "٣٫٥",
    "𝟏",
    "Infinity",
    "+5",
    "1_000",
    "1__0",
]
ODD_IDS: list[object] = [
    "=cmd|'/c calc'!A1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tE1",
    "\rE1",
    "\x1b[31mred\x1b[0m",
    "E01",
    "E01",
    "007",
    7,
    7.0,
    None,
    "",
    "\ud800",
    "a" * 40,
    "张伟",
    "E\x00",
    "E01 ",
    math.nan,
    "Sheet/1",
    "[x]",
    "'quoted",
    "-5",
    "1e3",
]
ODD_NAMES = ["", " ", "card", "id", "total", "\ud800x", "a b", "毛利率", "employee", "0"]


def lit(v: object) -> str:
    """Python source for a value."""
    if isinstance(v, float):
        if math.isnan(v):
            return "float('nan')"
        if math.isinf(v):
            return "float('inf')" if v > 0 else "float('-inf')"
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(lit(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + "".join(lit(x) + ", " for x in v) + ")"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(x)}" for k, x in v.items()) + "}"
    return repr(v)


def normal_value(rng: random.Random, name: str) -> float:
    """A plausible value for a column, by its name."""
    if name in ("gm", "kpi", "attain", "毛利率") or name.endswith(("rate", "margin")):
        return round(rng.uniform(-0.2, 1.3), rng.choice([2, 4, 6]))
    if name == "share_weight":
        return float(rng.choice([0, 1, 2, 3, 5, 0.1]))
    return round(rng.uniform(-1000, 2_000_000), rng.choice([0, 2, 4]))


class DataGen:
    """One case: columns for a meta, in one container, some cells adversarial."""

    def __init__(self, rng: random.Random, adversarial: float) -> None:
        self.rng = rng
        self.adversarial = adversarial  # chance that a column gets odd cells

    def values(self, name: str, n: int) -> list[object]:
        rng = self.rng
        vals: list[object] = [normal_value(rng, name) for _ in range(n)]
        if n and rng.random() < self.adversarial:
            for _ in range(rng.randint(1, max(1, n // 2))):
                vals[rng.randrange(n)] = rng.choice(ODD_CELLS)
            if rng.random() < 0.2:  # a whole column of one odd kind
                odd = rng.choice(ODD_CELLS)
                vals = [odd] * n
        return vals

    def column(self, frame: str, name: str, vals: list[object], kind: str) -> str:
        """Source for one column in the frame's container."""
        rng = self.rng
        src = "v"
        if frame == "dict":
            how = rng.choice(
                ["list", "numpy", "numpy", "object", "masked", "pandas", "tuple"]
                + (["structured", "twod", "scalar", "gen"] if rng.random() < 0.1 else [])
            )
            if kind == "text":
                how = rng.choice(["list", "object", "str", "pandas_cat"])
            if how == "list":
                return src
            if how == "tuple":
                return f"tuple({src})"
            if how == "numpy":
                dtype = rng.choice(
                    [
                        "float64",
                        "float32",
                        "int64",
                        "uint64",
                        "float16",
                        "int8",
                        "bool",
                        "datetime64[D]",
                        "timedelta64[s]",
                        "complex128",
                        "U5",
                        "S5",
                    ]
                )
                return (
                    f"first(lambda: np.array(v, dtype={dtype!r}), "
                    "lambda: np.array(v, dtype=object))"
                )
            if how == "object":
                return f"np.array({src}, dtype=object)"
            if how == "str":
                return f"np.array({src}, dtype=str)"
            if how == "masked":
                mask = [rng.random() < 0.3 for _ in vals]
                return (
                    f"first(lambda: np.ma.masked_array(np.array(v, dtype=float), mask={mask!r}), "
                    f"lambda: np.ma.masked_array(np.array(v, dtype=object), mask={mask!r}))"
                )
            if how == "pandas":
                dtype = rng.choice(
                    ["None", "object", "'Float64'", "'Int64'", "'string'", "'category'"]
                )
                return (
                    f"first(lambda: pd.Series(v, dtype={dtype}), "
                    "lambda: pd.Series(v, dtype=object))"
                )
            if how == "pandas_cat":
                return f"pd.Categorical({src})"
            if how == "structured":
                return (
                    f"np.array([(v, v) for v in np.array({src}, dtype=float)], "
                    "dtype=[('a', 'f8'), ('b', 'f8')])"
                )
            if how == "twod":
                return f"np.array([[v, v] for v in {src}])"
            if how == "scalar":
                return lit(vals[0]) if vals else "0.0"
            return f"(v for v in {src})"
        if frame == "pandas":
            dtype = rng.choice(
                [
                    "None",
                    "object",
                    "'Float64'",
                    "'Int64'",
                    "'string'",
                    "'category'",
                    "'float32'",
                    "'uint64'",
                    "'boolean'",
                    "'datetime64[ns]'",
                ]
            )
            if kind == "text":
                dtype = rng.choice(["None", "object", "'string'", "'category'"])
            return f"first(lambda: pd.Series(v, dtype={dtype}), lambda: pd.Series(v, dtype=object))"
        if frame == "polars":
            dtype = rng.choice(
                [
                    "None",
                    "pl.Float64",
                    "pl.Int64",
                    "pl.UInt64",
                    "pl.Utf8",
                    "pl.Categorical",
                    "pl.Boolean",
                    "pl.Float32",
                    "pl.Object",
                    "pl.Decimal(20, 4)",
                    "pl.Date",
                    "pl.List(pl.Float64)",
                ]
            )
            if kind == "text":
                dtype = rng.choice(
                    ["None", "pl.Utf8", "pl.Categorical", "pl.Enum(sorted(set(map(str, v))))"]
                )
            return (
                f"first(lambda: pl.Series({name!r}, v, dtype={dtype}, strict=False), "
                f"lambda: pl.Series({name!r}, v, strict=False), "
                f"lambda: pl.Series({name!r}, [None if x is None else str(x) for x in v]))"
            )
        typ = rng.choice(
            [
                "None",
                "pa.float64()",
                "pa.int64()",
                "pa.uint64()",
                "pa.string()",
                "pa.large_string()",
                "pa.dictionary(pa.int32(), pa.string())",
                "pa.decimal128(38, 4)",
                "pa.timestamp('s')",
                "pa.bool_()",
                "pa.float16()",
                "pa.null()",
                "pa.list_(pa.float64())",
                "pa.binary()",
                "pa.date32()",
            ]
        )
        if kind == "text":
            typ = rng.choice(
                [
                    "None",
                    "pa.string()",
                    "pa.dictionary(pa.int32(), pa.string())",
                    "pa.large_string()",
                ]
            )
        if typ == "pa.dictionary(pa.int32(), pa.string())":
            return f"pa.array([None if v is None else str(v) for v in {src}]).dictionary_encode()"
        return (
            f"first(lambda: pa.array(v, type={typ}, from_pandas=True), "
            "lambda: pa.array(v, from_pandas=True), "
            "lambda: pa.array([None if x is None else str(x) for x in v]))"
        )

    def case(self, meta: Meta, *, frame: str | None = None) -> str:
        """Source that defines ``data`` and ``params`` for a file with this meta."""
        rng = self.rng
        frame = frame or rng.choice(["dict", "dict", "pandas", "polars", "arrow"])
        n = rng.choice([0, 1, 2, 3, 5, 8, 20]) if rng.random() < 0.9 else rng.choice([100, 3000])
        cols: dict[str, tuple[str, list[object]]] = {}
        for name in sorted(meta.columns):
            cols[name] = ("num", self.values(name, n))
        for name, keys in meta.text_columns.items():
            vals = [rng.choice(keys) for _ in range(n)]
            if n and rng.random() < self.adversarial:
                vals[rng.randrange(n)] = rng.choice([None, "Z", 1, " A", "a", math.nan, ""])
            cols[name] = ("text", vals)
        for name in meta.group_columns:
            cols[name] = ("text", [rng.choice(["深圳", "杭州", "T1"]) for _ in range(n)])
        if len(meta.cards) > 1 or rng.random() < 0.3:
            vals = [rng.choice(meta.cards) if meta.cards else "x" for _ in range(n)]
            if n and rng.random() < self.adversarial:
                vals[rng.randrange(n)] = rng.choice([None, "nope", 1, math.nan, "", " operator"])
            cols["card"] = ("text", vals)
        if rng.random() < 0.6:
            ids: list[object] = [f"E{i:02d}" for i in range(n)]
            if n and rng.random() < self.adversarial:
                for _ in range(rng.randint(1, 3)):
                    ids[rng.randrange(n)] = rng.choice(ODD_IDS)
            cols[rng.choice(["employee", "id", "工号"])] = ("text", ids)
        if rng.random() < 0.05 * self.adversarial * 10:
            cols[rng.choice(ODD_NAMES)] = ("num", self.values("x", n))
        lines = [
            PRELUDE + "".join(LIBS[k] for k in LIBS if k in (frame, "pandas") or (frame == "dict"))
        ]
        lines.append("cols = {}")
        for name, (kind, vals) in cols.items():
            if frame == "dict" and n and rng.random() < 0.3 * self.adversarial:  # length mismatch
                vals = vals[: rng.randrange(n)] if rng.random() < 0.5 else [*vals, vals[0]]
            lines.append(f"v = {lit(vals)}")
            lines.append(f"cols[{name!r}] = {self.column(frame, name, vals, kind)}")
        if frame == "dict":
            lines.append("data = cols")
        elif frame == "pandas":
            lines.append(
                "data = pd.DataFrame(cols)"
                + (
                    ".set_index(pd.Index(range(100, 100 + len(next(iter(cols.values()), []))))) "
                    if rng.random() < 0.2 and cols
                    else ""
                )
            )
        elif frame == "polars":
            lines.append(
                "data = pl.DataFrame(list(cols.values()))" if cols else "data = pl.DataFrame()"
            )
        else:
            lines.append("data = pa.table(cols)")
        params: dict[str, object] = {}
        for p in sorted(meta.params):
            params[p] = (
                rng.choice([1_500_000.0, 1_100_000, 0, 1_200_500.0])
                if rng.random() > (self.adversarial)
                else rng.choice(ODD_CELLS)
            )
        lines.append(f"params = {lit(params)}")
        return "\n".join(lines) + "\n"
