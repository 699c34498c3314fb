"""An exact reference for ksf, written from LANGUAGE.md sections 1-8 alone.

`model` describes a rulebook and its data, `oracle` pays it with `fractions.Fraction`,
`render` writes the rule text ksf reads, and `cards` draws random rulebooks and data.
"""
