"""The monthly report's presentation: its figures (``data_access.analytics.report``) as labelled
tables in the reader's language (``tables``), an Excel workbook (``excel``), a PDF (``pdf``), and
its title and file names (``text``). Pure functions of a ``MonthlyReport``: no database, no
Streamlit; ``data_access`` never imports this package."""
