"""The package's version, in a module of its own: any layer may read it without importing ksf.

`ksf.__version__` is this; hatch reads it from here when building the package.
"""

__version__ = "0.1.0"
