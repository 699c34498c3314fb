"""``ksf report RULES DATA -o report.html``: the plan report of `ksf.design.report`, written.

The data is read and paid as ``ksf run`` does (`compute_payroll`: the same errors, naming
the file's lines), then laid out as one self-contained HTML file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ksf.catalogue import cli as said
from ksf.catalogue import report as say
from ksf.cli.inputs import UsageError, checked, compute_payroll, params
from ksf.cli.render import Progress
from ksf.cli.voice import language
from ksf.design.report import write_report
from ksf.explain_words import check_lang
from ksf.io.write import output_target
from ksf.source import visible

HELP = "write a plan report: curves, totals and payslips"
EXAMPLES = """\
examples:
  ksf report pay.ksf july.csv -o report.html
  ksf report pay.ksf july.xlsx --sheet 7月 --lang zh -o 测算报告.html"""


def options(
    command: argparse.ArgumentParser, data_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    """The options of ``ksf report``: ``data_options`` (``ksf run``'s), then its own."""
    data_options(command)
    command.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the report: an .html file"
    )
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write the report and messages in Chinese (zh) or English (en); default: the "
        "rule file's `language` setting, else en",
    )


def report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the plan report of a rule file on a data file."""
    output = Path(args.output)
    if output.suffix.lower() not in {".html", ".htm"}:
        raise UsageError(say.NOT_HTML(output=output))
    if not checked(output_target, output).parent.is_dir():
        raise UsageError(said.NO_DIRECTORY(output=output, missing=output.parent))
    for what, name in ((said.THE_RULE_FILE(), args.file), (said.THE_DATA(), args.data)):
        if output.exists() and Path(name).exists() and output.samefile(name):
            raise UsageError(said.OUTPUT_IS_INPUT(output=output, what=what, name=name))
    progress = Progress(
        Path(args.data), data_format=args.input_format, sheet=args.sheet, lang=language(args)
    )
    with progress:
        book, data, payroll = compute_payroll(args, progress, err)
        lang = check_lang(args.lang or payroll.language or "en")
        with progress.stage(said.WRITING(name=output.name).text(progress.lang)):
            write_report(
                book,
                data,
                output,
                lang=lang,
                params=params(args.param),
                card=args.card,
                id_column=args.id,
                allow_duplicate_ids=args.allow_duplicate_ids,
            )
    written = say.WROTE(path=output, rows=f"{len(payroll):,}")
    err.write(visible(written.text(language(args, payroll.language)) + "\n"))
    return 0
