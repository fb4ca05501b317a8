PARSER_VERSION = "4"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
