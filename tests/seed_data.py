"""The seed documents the tests import, and what the main one looks like once imported."""

from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_689926c6344c2fa1.txt"
EDGE_SEEDS = Path(__file__).resolve().parent / "comments" / "importing" / "seeds"

# (depth, author) of every comment of SEED, in reading order.
SEED_OUTLINE = [
    (0, "RichardD"),
    (0, "Assad must stay (gr8rambino)"),
    (1, "Zionism = EVIL"),
    (0, "Sinbad2"),
    (1, "Zionism = EVIL"),
    (2, "RichardD"),
    (3, "Sinbad2"),
    (4, "RichardD"),
    (4, "RichardD"),
    (2, "Sinbad2"),
    (2, "Ronald"),
    (0, "Willing Conscience (The Truths"),
    (0, "Nizam"),
]
