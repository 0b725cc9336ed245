"""`make docs`: the parts of docs/ that are generated from code, so they cannot drift from it."""
