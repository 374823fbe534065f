"""Connectors to property companies' operational systems, one package per system. A connector
reads its system and hands records in our vocabulary to ``data_access.sync``; it never writes
our tables itself and never writes to the source."""
