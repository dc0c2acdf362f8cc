"""The ``spinecoach`` command line: thin, one module per noun."""
