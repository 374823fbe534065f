"""Pieces of page drawn the same way on several pages: KPI cards, photo grids, the period
picker, the sidebar and error chrome. They read only what they are given."""
