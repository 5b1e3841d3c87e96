"""sitr.moderation."""
