"""The worker: one process that runs every background job on its own schedule, with exactly
one runner across processes and machines (``data_access.jobs.lease``). Started by
``python manage.py worker`` (``make run`` starts it beside the app); the pages run no job."""
