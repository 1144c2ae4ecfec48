"""Built-in vendor plugins: one module per platform, registered like third-party plugins.

Every public module here is loaded as a pluggy plugin by ``zahnrad.plugins`` discovery
(``zahnrad.plugins.registry``); a new built-in platform needs no other registration.
"""
