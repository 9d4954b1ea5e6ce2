"""Business rules of restoration and mine action; views, API, CLI and imports all call these."""
