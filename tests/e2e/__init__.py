"""End-to-end tests: the command line and the simulators as separate processes, in real time.

They are marked ``e2e`` and left out of the default run (``python -m pytest -m e2e
tests/e2e`` runs them): their simulators' clocks run 900 times real time, so they wait
real seconds by design.
"""
