"""Records read from a company's operational system, written into our tables (connectors/)."""
