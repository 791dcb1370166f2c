"""Meeting mode (mødetilstand): the board's questions one at a time on a projector."""
