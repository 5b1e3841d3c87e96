"""sitr.models."""
