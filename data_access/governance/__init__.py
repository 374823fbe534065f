"""Co-governance (显性共治): announcements, the public money, and (issue 24) votes."""
