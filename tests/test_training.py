"""The shipped model is exactly what `sitr train` builds from the data (fixed seeds), and it loads safely."""

from pathlib import Path

import numpy as np
import pytest

from sitr.evaluation.data import shared_data_dir
from sitr.models.threat_model import MODEL_FILE, ModelMissingError, ThreatModel, shipped_model

needs_data = pytest.mark.skipif(
    not (shared_data_dir() / "threats" / "dev.jsonl").is_file(),
    reason="../shared/data is not present (set SITR_SHARED_DATA)",
)


def test_shipped_model_loads_without_pickle() -> None:
    model = shipped_model()
    assert model.w_text.shape[1] == 5
    assert model.card["seed"] == 13
    assert all(0.0 < t < 1.0 for t in model.thresholds)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError):
        ThreatModel.load(tmp_path)


def test_model_card_names_only_allowed_training_sets() -> None:
    sets = " ".join(shipped_model().card["training_data"])
    assert "research" not in sets and "validation" not in sets
    assert "train part" in sets


@pytest.mark.slow
@needs_data
def test_training_reproduces_the_shipped_model(tmp_path: Path) -> None:
    from sitr.models.train import train

    rebuilt = train(out_dir=tmp_path)
    shipped = shipped_model()
    assert rebuilt.version == shipped.version
    assert (tmp_path / MODEL_FILE).is_file()
    for name in ("w_dense", "bias", "calib_a", "calib_b", "thresholds", "idf"):
        np.testing.assert_allclose(getattr(rebuilt, name), getattr(shipped, name), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(rebuilt.w_text, shipped.w_text, rtol=1e-4, atol=1e-5)
