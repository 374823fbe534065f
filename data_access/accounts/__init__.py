"""Who is looking: accounts and roles, login security (sessions, cookie, failed logins),
privacy (what each viewer may see, masking) and last looks (what is new to whom)."""
