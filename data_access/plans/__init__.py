"""Service plans from the contract and patrols (巡检): generation, views, route coverage."""
