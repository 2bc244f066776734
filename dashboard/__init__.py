"""Core of the VRU dashboard: settings, data layer, figures and exports (no I/O at import)."""
