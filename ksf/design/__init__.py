"""Plan design (测算, LANGUAGE.md §14): compare, simulate, calibrate and report on a plan.

The modules here sit on top of the public API: they compile and evaluate rulebooks like any
embedding program, and add what a plan's designer needs before a card is rolled out.
"""
