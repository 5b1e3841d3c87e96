"""sitr.demo: fictional demo activity driven through the moderation services (`sitr demo seed`)."""

from sitr.demo.seed import PlannedAnalyzer, SeedConfig, SeedLedger, seed

__all__ = ["PlannedAnalyzer", "SeedConfig", "SeedLedger", "seed"]
