"""Streamlit-side helpers shared by app.py and pages: language, database handle, login, chrome.

Pages import from here and from ``data_access`` result types; never from SQLAlchemy.
"""
