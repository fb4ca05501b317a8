PARSER_VERSION = "7"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
