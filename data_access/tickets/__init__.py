"""Ratings and rectification tickets (评价 → 整改 → 公示): the public board, ticket commands, ratings."""
