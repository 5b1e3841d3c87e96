"""sitr.audit: consistency of sitr across languages and varieties, and agreement between reviewers."""

from sitr.audit.agreement import agreement, krippendorff_alpha_nominal, units_from_records
from sitr.audit.consistency import Labelled, audit_consistency, read_labelled

__all__ = [
    "Labelled",
    "agreement",
    "audit_consistency",
    "krippendorff_alpha_nominal",
    "read_labelled",
    "units_from_records",
]
