PARSER_VERSION = "1"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
