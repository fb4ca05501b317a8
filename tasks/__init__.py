PARSER_VERSION = "14"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
