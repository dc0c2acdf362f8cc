"""Our own exercise library, functional tasks and education text (YAML data files)."""
