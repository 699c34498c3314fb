"""Vectorised building blocks: each works on whole arrays (a block of rows), in place.

Step kernels compute one expression node into ``out``; line kernels turn a line's inputs
into its amount. Loops here run over tiers, table rows or arguments — never over data rows.
A line kernel given a trace (`ksf.trace`) also records its intermediate values there; that is
how `Payroll.explain` shows the arithmetic without a second implementation.

- `step`: arithmetic, comparisons, logic and ``min``/``max`` (`STEP_KERNELS`)
- `tolerance`: equality up to float noise (LANGUAGE.md 7) and the moved bounds it gives
- `lookup`: table lookups
- `score`: weighted KPI scores
- `balance`: the balance rule — steps, step noise, tiers, floor and cap
- `commission`: commission tiers, marginal and retroactive
- `bonus`: bonuses and amounts looked up by a key column
- `values`: what kernels take, and `BadValues`, what they refuse
"""
