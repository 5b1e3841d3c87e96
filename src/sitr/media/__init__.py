"""sitr.media."""
