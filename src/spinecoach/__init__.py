"""spinecoach: motor control retraining for chronic low back pain."""

__version__ = "0.1.0"
