"""Reading a link's query string: the record id of a detail page."""

from __future__ import annotations

import streamlit as st

from data_access.record_ids import parse_record_id


def record_id_from_link(name: str = "id") -> int | None:
    """The record id in the page's link (``?id=…``), or None when it is missing or not a plain
    ASCII id in range (the page then says "not found", as for a record that does not exist)."""
    return parse_record_id(st.query_params.get(name, ""))
