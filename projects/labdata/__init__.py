"""labdata."""
