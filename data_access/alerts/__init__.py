"""Early warnings (预警): the rules, raising and resolving alerts."""
