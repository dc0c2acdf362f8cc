"""Clinical logic of spinecoach: pure Python, no I/O, no frameworks."""
