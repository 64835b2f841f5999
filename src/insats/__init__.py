"""Insats: planning and follow-up of personal assistance and support (LSS/SFB)."""

__version__ = "0.1.0"
