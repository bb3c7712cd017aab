"""The eyes: Qt widgets that show projects.model data. They never run engines or touch the file."""
