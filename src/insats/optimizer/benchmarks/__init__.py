"""Adapters for public rostering benchmarks (Curtois & Qu shift scheduling instances)."""
