import pytest

from photosc.foundation import progress as pg


@pytest.fixture
def shown(monkeypatch):
    """Bars on, drawn at once."""
    monkeypatch.setenv("PHOTOSC_PROGRESS", "1")
    monkeypatch.delenv("PHOTOSC_IN_WORKER", raising=False)
    monkeypatch.setattr(pg, "DELAY_S", 0.0)


@pytest.mark.parametrize(
    "env, worker, on",
    [("1", "", True), ("0", "", False), ("OFF", "", False), ("1", "1", False)],
)
def test_enabled(monkeypatch, env, worker, on):
    monkeypatch.setenv("PHOTOSC_PROGRESS", env)
    monkeypatch.setenv("PHOTOSC_IN_WORKER", worker)
    assert pg.enabled() is on


def test_progress_draws_on_stderr(shown, capsys):
    assert list(pg.progress(range(5), desc="points")) == list(range(5))
    assert "points" in capsys.readouterr().err


def test_progress_waits_for_its_delay(monkeypatch, capsys):
    monkeypatch.setenv("PHOTOSC_PROGRESS", "1")
    monkeypatch.delenv("PHOTOSC_IN_WORKER", raising=False)
    assert list(pg.progress(range(3), desc="quick")) == [0, 1, 2]
    assert "quick" not in capsys.readouterr().err  # shorter than DELAY_S: no bar


def test_progress_bar_by_hand(shown, capsys):
    with pg.progress_bar(10.0, desc="kinetics", unit="ps") as bar:
        for _ in range(4):
            bar.update(2.5)
        bar.set_postfix_str("done")
    assert "kinetics" in capsys.readouterr().err


def test_disabled_bars_are_silent(monkeypatch, capsys):
    monkeypatch.setenv("PHOTOSC_PROGRESS", "0")
    assert list(pg.progress([1, 2], desc="x")) == [1, 2]
    with pg.progress_bar(1.0, desc="y") as bar:
        bar.update(1.0)
        bar.set_postfix_str("z")
    assert capsys.readouterr().err == ""
