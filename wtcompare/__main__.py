"""``python -m wtcompare`` runs the command line (with the console script's interrupt handling)."""

from .entry import main

main()
