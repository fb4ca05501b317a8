PARSER_VERSION = "9"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
