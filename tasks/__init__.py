PARSER_VERSION = "12"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
