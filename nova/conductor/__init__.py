"""nova-conductor: orchestrates builds and moves, and does the database
work of a cell on behalf of its computes."""
