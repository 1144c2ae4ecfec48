pytest_plugins = ["servers.fixtures"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "realserver: starts real platform servers (MediaWiki, DokuWiki, Synapse) on 127.0.0.1",
    )
