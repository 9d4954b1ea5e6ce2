"""Business rules of the open-source module: reading (no writes), ingesting, reviewing, cross-checking."""
