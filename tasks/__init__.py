PARSER_VERSION = "15"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
