"""Notifications: what changed for a viewer since they last looked."""
