"""Real platform servers (MediaWiki, DokuWiki, Matrix Synapse) for the test suite.

The pytest fixtures live in ``servers.fixtures`` (loaded as a plugin from tests/conftest.py).
"""

from .common import Server, ServerStartError

__all__ = ["Server", "ServerStartError"]
