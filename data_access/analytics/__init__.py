"""Figures: KPIs, analytics, keywords, staff KPIs, quality checklists and the monthly report."""
