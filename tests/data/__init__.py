"""The reference cases the tests read, kept in the repository (see README.md here for their sources)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
VOTING = DATA_DIR / "voting"
PAYOUTS = DATA_DIR / "payouts"
