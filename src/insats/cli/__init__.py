"""Command-line interface (Typer): thin — parse input, call a service, render."""
