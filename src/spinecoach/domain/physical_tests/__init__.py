"""Physical tests: endurance, sit-to-stand, movement control, strength, symmetry."""
