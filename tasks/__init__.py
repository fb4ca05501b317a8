PARSER_VERSION = "16"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
