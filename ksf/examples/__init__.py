"""The embedded demo: a cross-border team's KSF cards and a quarter of data."""
