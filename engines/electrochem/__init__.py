"""electrochem."""
