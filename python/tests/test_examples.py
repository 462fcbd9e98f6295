"""The example scripts of examples/python/ run as written, and say what the docs say."""

import re
import runpy
import sys

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("SALib")


def run_example(root, name, *args, monkeypatch, tmp_path):
    """Run a script as `python examples/python/NAME ARGS` would, in tmp_path; its globals."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [name, *map(str, args)])
    return runpy.run_path(str(root / "examples" / "python" / name), run_name="__main__")


def test_dyad_mix_plots_the_run(root, tmp_path, monkeypatch, capsys):
    g = run_example(root, "dyad_mix.py", "mix.png", monkeypatch=monkeypatch, tmp_path=tmp_path)
    assert (tmp_path / "mix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(g["df"]) == 80 and "wrote mix.png" in capsys.readouterr().out


def test_sobol_names_gamma_the_driver_of_hedging(root, tmp_path, monkeypatch):
    g = run_example(root, "sobol.py", 64, monkeypatch=monkeypatch, tmp_path=tmp_path)
    assert len(g["runs"]) == 64 * 6
    st = dict(zip(g["problem"]["names"], g["Si"]["ST"]))  # the last output analysed: mean_x
    assert st["small_state.gamma"] > st["great_power.hostility"]


def test_the_azerbaijan_period_table_is_docs_cases(root, tmp_path, monkeypatch):
    """The pandas table reproduces docs/cases.md's, which `example case_periods` makes in Rust."""
    g = run_example(root, "azerbaijan_periods.py", 200, monkeypatch=monkeypatch, tmp_path=tmp_path)
    table = g["table"]
    docs = (root / "docs" / "cases.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (2003–2008\.6|2008\.6–2014|2014–2020\.7|2020\.7–2022\.1|2022\.1–2024) \|(.*)\|$", docs, re.M)
    assert len(rows) == 5
    for (period, cells), (_, ours) in zip(rows, table.iterrows()):
        v = [c.strip() for c in cells.split("|")]
        quoted = dict(zip(["PB", "IB", "DD", "EP", "BE", "LB", "PW", "x", "H"], map(float, v[:9])))
        for k, want in quoted.items():
            assert round(ours[k], 2) == pytest.approx(want, abs=1e-9), (period, k)
        assert f"{ours['hedging']:.0%}" == v[9], (period, "hedging")
        assert f"{ours['balancing']:.0%}" == v[10], (period, "balancing")
