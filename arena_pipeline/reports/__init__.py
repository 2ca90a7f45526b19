"""Pure renderers (query results -> Markdown, SVG, feeds) and build.py, which queries and writes the files."""
