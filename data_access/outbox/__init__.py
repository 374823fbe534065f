"""Messages that leave the app: queued with their event, delivered by the worker."""
