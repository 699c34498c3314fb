"""The plan report's style sheet and search script, written into the page itself.

Nothing here is fetched: the fonts are the reader's own (a stack of CJK faces first, so
Chinese renders on Linux, macOS and Windows alike), and the script only shows and hides
payslips. The report's Content-Security-Policy allows these two texts by their hashes.
"""

from __future__ import annotations

# Simplified Chinese faces on each system, then whatever sans-serif face is installed.
FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"SimHei", "WenQuanYi Micro Hei", system-ui, sans-serif'
)
MONO = (
    'ui-monospace, "Noto Sans Mono CJK SC", "Sarasa Mono SC", Menlo, Consolas, '
    '"Noto Sans CJK SC", "Microsoft YaHei", monospace'
)

STYLE = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONTS}; margin: 0; color: #1d2430; background: #f5f6f8;
  font-size: 15px; line-height: 1.5; }}
header, section {{ max-width: 1280px; margin: 0 auto; padding: 12px 24px; }}
header {{ padding-top: 24px; }}
h1 {{ font-size: 26px; margin: 0 0 10px; }}
h2 {{ font-size: 20px; margin: 18px 0 8px; border-bottom: 2px solid #d5dae2;
  padding-bottom: 4px; }}
h3 {{ font-size: 16px; margin: 14px 0 4px; color: #3a4556; }}
dl.facts {{ display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0 0 10px; }}
dl.facts div {{ display: flex; flex-direction: column; }}
dt {{ color: #6a7487; font-size: 12px; }}
dd {{ margin: 0; font-weight: 600; }}
nav a {{ color: #1f5fa8; text-decoration: none; }}
nav {{ font-size: 14px; }}
#totals .grid, #against .grid {{ grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr));
  gap: 14px; }}
figure {{ margin: 0; background: #fff; border: 1px solid #dde2ea; border-radius: 6px;
  padding: 10px 12px; }}
figcaption {{ margin-bottom: 4px; }}
figcaption b {{ font-size: 15px; margin-right: 8px; }}
figcaption code {{ font-family: {MONO}; font-size: 12px; color: #56617a;
  display: block; white-space: pre-wrap; word-break: break-word; }}
figcaption small {{ color: #56617a; }}
figcaption a {{ color: #1d2430; font-weight: 600; text-decoration: none; }}
figure.range {{ max-width: 760px; margin-bottom: 8px; }}
table.others {{ margin-bottom: 8px; }}
.wide {{ overflow-x: auto; max-width: 100%; }}
#against table.others td, #against table.others th {{ font-size: 13px; padding: 3px 8px; }}
svg.chart {{ width: 100%; height: auto; display: block; font-family: {FONTS}; }}
svg .tick {{ font-size: 11px; fill: #56617a; }}
svg .axis {{ font-size: 11px; fill: #3a4556; }}
svg .mark {{ font-size: 11px; font-weight: 600; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }}
svg .grid {{ stroke: #eceff4; stroke-width: 1; }}
svg .zero {{ stroke: #9aa3b2; stroke-width: 1; }}
svg .axis-line {{ stroke: #9aa3b2; stroke-width: 1; }}
svg .bar:hover {{ fill: #c7771f; }}
ul.note {{ margin: 4px 0 0; padding-left: 18px; color: #56617a; font-size: 13px; }}
p.note {{ color: #56617a; font-size: 13px; margin: 0 0 8px; }}
table.others {{ border-collapse: collapse; background: #fff; border: 1px solid #dde2ea; }}
table.others th, table.others td {{ padding: 4px 12px; border-bottom: 1px solid #eceff4;
  text-align: left; }}
table.others th {{ font-size: 13px; color: #56617a; font-weight: 600; }}
.amount {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.search {{ display: flex; align-items: center; gap: 14px; margin: 4px 0 10px; }}
#search {{ font: inherit; padding: 6px 10px; width: 340px; max-width: 100%;
  border: 1px solid #b9c1ce; border-radius: 4px; }}
#shown {{ color: #56617a; font-size: 13px; }}
details.slip {{ background: #fff; border: 1px solid #dde2ea; border-radius: 4px;
  margin: 0 0 6px; }}
details.slip summary, .slip-head {{ padding: 6px 12px; display: grid;
  grid-template-columns: 1em 7em 8em 1fr 7em 10em; gap: 12px; align-items: baseline; }}
details.slip summary {{ cursor: pointer; list-style: none; }}
details.slip summary::-webkit-details-marker {{ display: none; }}
.slip-head {{ color: #6a7487; font-size: 12px; padding-bottom: 2px; }}
.slip-head span:last-child {{ text-align: right; }}
.fold {{ color: #6a7487; display: inline-block; transition: transform 0.1s; }}
details[open] .fold {{ transform: rotate(90deg); }}
details.slip summary .id {{ font-weight: 600; }}
details.slip summary .period, details.slip summary .card {{ color: #56617a; }}
details.slip pre {{ font-family: {MONO}; font-size: 12.5px; margin: 0; padding: 8px 16px 12px;
  border-top: 1px solid #eceff4; white-space: pre-wrap; overflow-x: auto; }}
header p.note {{ margin: 6px 0 0; }}
@media print {{
  figure, details.slip, table.others tr {{ break-inside: avoid; }}
  .search {{ display: none; }}
  body {{ background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""

# Filters payslips as the reader types: an exact id or name shows only its own payslips,
# anything else every payslip whose id, name or card contains each word typed.
SCRIPT = """
(function () {
  "use strict";
  var box = document.getElementById("search");
  var shown = document.getElementById("shown");
  var slips = Array.prototype.slice.call(document.querySelectorAll("details.slip"));
  function low(s) { return (s || "").toLowerCase(); }
  function exact(slip, q) {
    return low(slip.dataset.id) === q || low(slip.dataset.name) === q;
  }
  function filter() {
    var q = low(box.value).trim();
    var words = q.split(/\\s+/).filter(Boolean);
    var anyExact = q !== "" && slips.some(function (s) { return exact(s, q); });
    var count = 0;
    slips.forEach(function (slip) {
      var keys = low(slip.dataset.keys);
      var keep = anyExact ? exact(slip, q)
        : words.every(function (w) { return keys.indexOf(w) >= 0; });
      slip.hidden = !keep;
      if (keep) { count += 1; }
    });
    shown.textContent = shown.dataset.template
      .replace("{shown}", count.toLocaleString("en"))
      .replace("{all}", slips.length.toLocaleString("en"));
  }
  box.addEventListener("input", filter);
  filter();
})();
"""
