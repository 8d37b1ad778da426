"""Which course versions a statement belongs to (docs/decisions.md, "Course statements"): each version's activity
ids, and the links a stored statement gets to the versions whose activities it names or whose launch produced it."""
