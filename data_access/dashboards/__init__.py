"""The pages that gather everything for one viewer: the Overview (首页) and the manager's desk (console)."""
