PARSER_VERSION = "18"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
