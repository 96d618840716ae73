"""The appeals pages: the appellant's (appellant.py) and the reviewers' (reviewer.py)."""
