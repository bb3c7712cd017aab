"""The physics: pure computation, projects in, projects.model results out. No Qt."""
