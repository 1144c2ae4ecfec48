"""zahnrad: choose a social intranet strategy-first.

The pipeline is strategy -> requirements -> probes -> facts + evidence -> scores -> matrix -> reports.
This package (``zahnrad``) is the engine; ``zahnrad.plugins`` holds the built-in vendor plugins,
``zahnrad.criteria`` the fact and criteria catalogs, ``zahnrad.reports`` the renderers.
"""

__version__ = "0.1.0"
