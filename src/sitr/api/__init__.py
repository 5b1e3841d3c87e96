"""sitr.api."""
