"""Names: the built-in functions, the reserved line name, and where a name's value comes from.

Resolution order (LANGUAGE.md section 2): a definition in the file, then a data column or a
``params`` scalar, then the standard indicator library. The checker applies the first step;
`ksf.bind` applies the other two once the data is known.
"""

from __future__ import annotations

from ksf.catalogue import check_lines as say
from ksf.message import Keyword

FUNCTIONS = {"min": (2, None), "max": (2, None), "abs": (1, 1)}  # name: (min args, max args)
UNITS = ("percent", "money", "ratio", "count", "days")
# Line names that would clash with another column of the payroll: name -> what it already is.
RESERVED_LINE_NAMES = {
    "total": say.RESERVED_TOTAL(),
    "card": say.RESERVED_CARD(),
    "id": say.RESERVED_ID(),
    "min_pay_topup": say.RESERVED_TOPUP(min_pay=Keyword("min_pay")),
}
DIRECTIONS = {"higher_is_better": 1, "lower_is_better": -1}
MISSING_MODES = ("balance", "zero")
ROUNDING_MODES = ("half_up",)
