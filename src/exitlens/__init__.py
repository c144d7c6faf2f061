"""ExitLens: coded, case-level evidence from accounts of people who left extremist groups."""

__version__ = "0.1.0"
