"""Work orders (工单): the board and detail, the commands the operational system's stand-ins use, history and handling times."""
