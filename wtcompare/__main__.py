"""``python -m wtcompare`` runs the command line."""
from .cli import main

main()
