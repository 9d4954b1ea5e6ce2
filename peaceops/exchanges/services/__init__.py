"""Business rules of the exchanges module. Views, API, CLI and scenario call these; they stay thin."""

class ExchangeError(Exception):
    """A rule was broken; the message is meant for the officer, and nothing was written."""
