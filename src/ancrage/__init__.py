"""Ancrage: a platform for accompanied-housing programs."""

__version__ = "0.1.0"
