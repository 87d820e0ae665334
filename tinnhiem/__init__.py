"""tinnhiem: count confidence polls and votes of Vietnamese councils and party committees."""

__version__ = "0.1.0"
