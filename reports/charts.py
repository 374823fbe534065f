"""Chart specs drawn as pictures for the PDF, offline (``vl-convert-python`` runs Vega-Lite in
its own engine: no browser, no network). The specs are the pages' own (``ui/charts``), handed
over by the caller, so the PDF's trend is the chart the committee saw on the page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reports.fonts import FONT_DIRECTORY, FONT_FAMILY

_registered = False


def chart_png(spec: dict[str, Any], *, width: int = 720, scale: float = 2.0) -> bytes:
    """The chart as PNG, ``width`` CSS pixels wide (sharp on paper at ``scale``), its text in
    the PDF's font."""
    import vl_convert

    global _registered
    if not _registered:
        vl_convert.register_font_directory(str(Path(FONT_DIRECTORY)))
        _registered = True
    sized = {**spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    sized.pop("$schema", None)
    config = {
        **spec.get("config", {}),
        "font": FONT_FAMILY,
        "background": "white",
    }
    # Dates in the data as ISO text, as Streamlit sends a spec to the browser.
    text = json.dumps({**sized, "config": config}, default=str, ensure_ascii=False)
    return bytes(vl_convert.vegalite_to_png(vl_spec=text, scale=scale))
