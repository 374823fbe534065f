"""The background jobs' bookkeeping: who runs them (a lease with a fencing token), when each
ran (``job_runs``) and what people asked for (``job_requests``). The worker (``worker/``) runs
the jobs; this package only reads and writes their rows."""
