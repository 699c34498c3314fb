"""Staff payslips as one printable HTML file: one employee per page, then their audit trail.

The file is self-contained (no script, no link, no font download) and every piece of data
is escaped (`html.escape` after `ksf.source.visible`): a name such as ``<script>`` shows
as those characters. Print CSS puts each payslip and each audit trail on a page of its
own, so a page handed to an employee carries nothing of anyone else: A4, a page break
before every payslip and audit trail but the first, no table row cut across two pages,
and a table too long for one page repeats its heading rows, which name the employee, on
the next (so every printed page says whose it is).
tests/test_payslip_print.py prints three employees through a headless Chromium and reads
the PDF back.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ksf.catalogue import io as say
from ksf.io.payslip_xlsx import write_payslips_xlsx
from ksf.io.write import write_atomically
from ksf.payslip import Payslip
from ksf.source import visible

# Simplified Chinese faces on each system, then whatever sans-serif face is installed.
FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"SimHei", "WenQuanYi Micro Hei", sans-serif'
)

STYLE = f"""
@page {{ size: A4; margin: 16mm; }}
body {{ font-family: {FONTS}; font-size: 10.5pt; color: #111; margin: 0; }}
.page {{ padding: 8mm 0; }}
.new-page {{ break-before: page; page-break-before: always; }}
h1 {{ font-size: 16pt; margin: 0 0 4mm; }}
h2 {{ font-size: 13pt; margin: 0 0 3mm; }}
table.facts {{ margin: 0 0 5mm; width: auto; }}
table.facts th {{ color: #555; font-weight: normal; border: 0; padding: 0.5mm 6mm 0.5mm 0; }}
table.facts td {{ border: 0; padding: 0.5mm 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 1.5mm 2mm; text-align: left; }}
td {{ vertical-align: top; }}
th {{ border-bottom: 2px solid #333; }}
.amount {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
tr.total td {{ border-top: 2px solid #333; font-weight: bold; }}
pre {{ font-family: {FONTS}; white-space: pre-wrap; font-size: 9pt; }}
.rules {{ color: #777; font-size: 8pt; margin-top: 4mm; }}
tr.who th {{ border: 0; font-weight: normal; color: #555; padding: 0 0 2mm; }}
table.trail th, table.trail td {{ border: 0; padding: 0; }}
@media screen {{ .print-only {{ display: none; }} }}
@media print {{
  tr {{ break-inside: avoid; page-break-inside: avoid; }}
  table.trail tr {{ break-inside: auto; page-break-inside: auto; }}
  thead {{ display: table-header-group; }}
  h1, h2 {{ break-after: avoid; page-break-after: avoid; }}
  tr.total {{ break-before: avoid; page-break-before: avoid; }}
  pre {{ orphans: 3; widows: 3; }}
  body {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


def _e(text: str) -> str:
    """Data as HTML text: control characters shown as escapes, markup characters escaped."""
    return html.escape(visible(text), quote=True)


def payslip_pages(slip: Payslip, *, audit: bool = True) -> list[str]:
    """The HTML of one payslip's pages: the payslip, then (``audit``) its audit trail."""
    w = slip.words()
    title = slip.title()
    facts = [(k, v) for k, v in slip.facts() if k != w["unit"]]  # the amount heading says it
    facts_html = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    rows = "".join(
        f'<tr><td>{_e(line.title)}</td><td class="amount">{_e(slip.money(line.amount))}</td>'
        f"<td>{_e(line.reason)}</td></tr>"
        for line in slip.lines
    )
    total = (
        f'<tr class="total"><td>{_e(w["total"])}</td>'
        f'<td class="amount">{_e(slip.total_text())}</td><td></td></tr>'
    )
    head = (
        f'<tr><th>{_e(w["line"])}</th><th class="amount">{_e(slip.amount_heading())}</th>'
        f"<th>{_e(w['reason'])}</th></tr>"
    )
    rules = f'<p class="rules">{_e(w["rules"])} {_e(slip.rulebook_hash[:12])}</p>'
    # The heading rows repeat on every printed page a table runs over, so a page that
    # continues a long payslip or audit trail still names whose it is.
    who = " · ".join(_e(v) for v in (slip.name, slip.employee_id, slip.period) if v)
    head = f'<tr class="who print-only"><th colspan="3">{who}</th></tr>{head}'
    pages = [
        f'<section class="page payslip"><h1 class="new-page">{_e(title)}</h1>'
        f'<table class="facts">{facts_html}</table>'
        f"<table><thead>{head}</thead><tbody>{rows}{total}</tbody></table>{rules}</section>"
    ]
    if audit:
        pages.append(
            f'<section class="page audit"><h2 class="new-page">{_e(w["audit"])}</h2>'
            f'<table class="trail"><thead><tr class="who"><th>{who}</th></tr></thead>'
            f"<tbody><tr><td><pre>{_e(slip.audit)}</pre></td></tr></tbody></table></section>"
        )
    return pages


def payslips_html(slips: Sequence[Payslip], *, audit: bool = True) -> str:
    """A whole HTML document: every payslip on pages of its own."""
    lang = "zh-CN" if slips and slips[0].lang == "zh" else "en"
    title = _e(slips[0].words()["title"]) if slips else "Payslips"
    pages = [page for slip in slips for page in payslip_pages(slip, audit=audit)]
    if pages:  # the first page needs no break before it (a blank first page otherwise)
        pages[0] = pages[0].replace(' class="new-page"', "", 1)
    body = "\n".join(pages)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


PAYSLIP_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def write_payslips(slips: Sequence[Payslip], path: str | Path, *, audit: bool = True) -> None:
    """Write payslips to ``path`` (.html or .xlsx, by its extension), atomically.

    Raises:
        ValueError: another extension, or no payslips.
        ImportError: .xlsx without openpyxl.
    """
    file = Path(path)
    kind = PAYSLIP_FORMATS.get(file.suffix.lower())
    if kind is None:
        raise ValueError(say.IN_FILE(path=file.name, message=say.PAYSLIP_FORMATS()))
    if not slips:
        raise ValueError(say.NO_PAYSLIPS())
    if kind == "html":
        write_atomically(file, payslips_html(slips, audit=audit))
    else:
        write_atomically(file, lambda temporary: write_payslips_xlsx(slips, temporary, audit=audit))
