"""Imports of other systems' exports (CSV, Excel): mapping, reading with limits, writing."""
