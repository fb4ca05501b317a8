PARSER_VERSION = "5"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
