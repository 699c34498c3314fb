"""Files in and out: data files to columns, payrolls to files (always written atomically).

Data: CSV (UTF-8, with or without the BOM Excel writes), XLSX (first sheet or a named
one), JSON records and Parquet, chosen by extension. Cells are read as an HR export writes
them: thousands separators (``1,200,000``), percentages (``33%`` → 0.33), empty cells as
missing values; see `ksf.io.cells`. Payrolls: CSV, XLSX (a payroll sheet and a payslip
per row), JSON records and Parquet. XLSX needs ``ksf[excel]``, Parquet ``ksf[pyarrow]``.

One module per direction and format: `read` (CSV, JSON, and the dispatch by extension),
`read_xlsx`, `read_parquet`, `fastcsv` (big CSV files through pyarrow); `write` (CSV, JSON,
Parquet, atomic replacement) and `write_xlsx` (the workbook). `table` and `cells` are
shared by the readers; `peek` reads a file's header and row count alone. For ``ksf test``:
`read_cases` (case sheets: CSV, XLSX, YAML), `write_cases` (``--init``) and `junit` (JUnit XML).
For ``ksf check --format json|sarif``: `diagnostics`.
"""

from __future__ import annotations

from ksf.io.cells import not_numbers
from ksf.io.peek import column_names, row_count
from ksf.io.read import data_format, parse_csv, parse_json, read_csv, read_data
from ksf.io.table import Table
from ksf.io.write import (
    output_format,
    payroll_csv,
    payroll_json,
    payroll_rows,
    write_atomically,
    write_csv,
    write_payroll,
)

__all__ = [
    "Table",
    "column_names",
    "data_format",
    "not_numbers",
    "output_format",
    "parse_csv",
    "parse_json",
    "payroll_csv",
    "payroll_json",
    "payroll_rows",
    "read_csv",
    "read_data",
    "row_count",
    "write_atomically",
    "write_csv",
    "write_payroll",
]
