"""Altair charts the pages draw, and the cache of their Vega-Lite specs (``cache``). Pure
functions of data frames: no database, no session state."""
