"""The JSON API under /api: one module per feature, each exposing ``router``."""
