PARSER_VERSION = "8"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
