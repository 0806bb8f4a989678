"""Prompt cards and capture vocabulary as data (TOML); read by companion.cards."""
