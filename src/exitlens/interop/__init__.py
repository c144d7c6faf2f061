"""Exchange with other tools: tables for statistics packages (REFI-QDA comes later)."""
