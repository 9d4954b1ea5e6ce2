"""The public side is checked over several modules at once: their small-world fixtures, shared."""

from tests.restoration.conftest import grid, org  # noqa: F401
from tests.returns.conftest import corridor, household  # noqa: F401
