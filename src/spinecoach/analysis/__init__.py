"""Numerical core of movement analysis: kinematics and signals, not clinics.

Pure numpy/scipy. It imports nothing else of spinecoach, so it can be tested, benchmarked and
reused (batch jobs, the web app's streaming path) on its own.
"""
