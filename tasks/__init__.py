PARSER_VERSION = "3"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
