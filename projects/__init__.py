"""The domain: everything a Cellwright project holds, and its file. No Qt, no engines."""
