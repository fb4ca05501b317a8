PARSER_VERSION = "2"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
