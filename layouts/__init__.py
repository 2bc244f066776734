"""Functions that return Dash components from plain data (no data access, no callbacks)."""
