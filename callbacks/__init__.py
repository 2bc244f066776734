"""Callbacks: each module's register(app, store) wires inputs to the core; nothing at import."""
