"""Chart specs cached under a caller's key (ui.charts.cache.show_chart(..., key=...))."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.cache import keyed_summary, keyed_vega_lite_spec


def test_a_keyed_spec_is_built_once_per_key_and_language() -> None:
    built: list[int] = []

    def build(value: int) -> alt.Chart:
        built.append(value)
        return alt.Chart(pd.DataFrame({"x": [value]})).mark_point().encode(x="x:Q")

    keyed_vega_lite_spec.clear()
    first = keyed_vega_lite_spec(build, "test.build", ("trend", 1), (1,), language="zh")
    # The key stands for the data: the same key is answered from the cache, unbuilt.
    again = keyed_vega_lite_spec(build, "test.build", ("trend", 1), (99,), language="zh")
    other_key = keyed_vega_lite_spec(build, "test.build", ("trend", 2), (2,), language="zh")
    other_language = keyed_vega_lite_spec(build, "test.build", ("trend", 1), (3,), language="en")
    assert built == [1, 2, 3]
    assert again == first
    assert other_key != first and other_language != first
    assert first["mark"]["type"] == "point"
    # Drawn as Streamlit sends it: the rows already in Arrow form, not converted on every run.
    assert [type(rows) for rows in first["datasets"].values()] == [bytes]


def test_a_keyed_summary_is_written_once_per_key() -> None:
    written: list[int] = []

    def write(value: int) -> str:
        written.append(value)
        return f"summary of {value}"

    assert keyed_summary(write, ("trend", 7), 1) == "summary of 1"
    assert keyed_summary(write, ("trend", 7), 99) == "summary of 1"  # the key names the data
    assert keyed_summary(write, ("trend", 8), 2) == "summary of 2"
    assert written == [1, 2]
