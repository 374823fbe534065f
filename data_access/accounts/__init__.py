"""Who is looking: accounts and roles, login security (sessions, cookie, failed logins) and privacy (what each viewer may see, masking)."""
