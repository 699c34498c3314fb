"""The version of ksf, in a module of its own: any layer may name it without importing ``ksf``.

`import ksf` loads the whole public API (the rulebook, plan design); a module low in the
layers (``ksf.io.diagnostics`` writes the version into its reports) reads it from here.
"""

__version__ = "0.1.0"
