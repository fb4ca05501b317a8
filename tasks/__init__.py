PARSER_VERSION = "6"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
