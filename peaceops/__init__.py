"""PeaceOps: an information system for running a ceasefire on the ground."""

__version__ = "0.1.0"
