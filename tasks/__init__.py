PARSER_VERSION = "10"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
