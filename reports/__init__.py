"""Renderers of an evaluation: Markdown, CSV, Excel, HTML (each imported only when used)."""
