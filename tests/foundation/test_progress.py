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


def test_elapsed_counter_for_a_run_without_its_own_loop(shown, capsys):
    import time

    with pg.elapsed("running slow-model", interval=0.05):
        time.sleep(0.3)
    assert "running slow-model" in capsys.readouterr().err


def test_elapsed_is_silent_when_disabled(monkeypatch, capsys):
    monkeypatch.setenv("PHOTOSC_PROGRESS", "0")
    with pg.elapsed("running quiet", interval=0.01):
        pass
    assert capsys.readouterr().err == ""


def test_runner_shows_elapsed_time_of_a_run(shown, capsys):
    """Every run shows a counter once it takes longer than the delay (issue 13 section 4)."""
    import photosc

    photosc.run("bcs-equilibrium", out=None, write=False)
    assert "running bcs-equilibrium" in capsys.readouterr().err
