"""Photos: validation, bounded storage, retention of in-home photos."""
