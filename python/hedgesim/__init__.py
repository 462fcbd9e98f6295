"""hedgesim: how small states choose alignment toward a great power, at native speed.

The model is hedgesim's Rust library, the one the command line runs, so every number here is the
command line's to the last bit: ``run`` gives the columns of ``hedgesim run --format csv``,
``explain`` the content of ``hedgesim explain --format json``, ``run_many`` the rows of a sweep's
``runs.csv`` and ``sweep`` the sweep itself. docs/python.md has examples.

Results are pandas DataFrames when pandas is installed, otherwise dicts of NumPy arrays (one array
per column, in the command line's column order).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._errors import InputError

__all__ = ["Scenario", "InputError", "run", "explain", "run_many", "sweep", "load", "bundled"]
__version__ = _native.VERSION

PathLike = Union[str, "os.PathLike[str]"]


class Scenario:
    """A validated scenario, ready to run any number of times.

    Make one with :meth:`from_file`, :meth:`from_toml`, :meth:`from_dict` or :meth:`bundled`.
    ``get`` and ``set`` take the parameter paths of ``hedgesim fields`` (``small_state.cap``,
    ``third_powers.China.cap``, ``doctrine.PB.prov``), checked against the schema's kinds and
    ranges with the messages a file gets. A setting is what ``--set PATH=VALUE`` is on the command
    line: a run writes it as a column after ``scenario_sha256``.
    """

    __slots__ = ("_s",)

    def __init__(self, native: "_native.Scenario") -> None:
        self._s = native

    @classmethod
    def from_file(cls, path: PathLike) -> "Scenario":
        """Read and validate a scenario file (TOML), as ``hedgesim run`` reads it."""
        return cls(_native.Scenario.from_file(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, origin: str = "<string>") -> "Scenario":
        """Validate scenario text; ``origin`` names it in errors."""
        return cls(_native.Scenario.from_text(text, origin))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], origin: str = "<dict>") -> "Scenario":
        """Validate a scenario given as the file's tables: ``{"meta": {"name": "x"}, "small_state": {...}}``."""
        return cls(_native.Scenario.from_dict(d, origin))

    @classmethod
    def bundled(cls, name: str) -> "Scenario":
        """A scenario shipped with hedgesim, by name (see :func:`bundled`)."""
        return cls(_native.Scenario.bundled(name))

    def get(self, path: str) -> Union[float, int, bool]:
        """A parameter by its path: as the file set it, or its default, with the settings since."""
        return self._s.get(path)

    def set(self, path: str, value: float) -> "Scenario":
        """Set a parameter by its path (checked against its kind and range); returns the scenario."""
        self._s.set(path, float(value))
        return self

    def copy(self) -> "Scenario":
        """An independent copy: settings on it leave this one as it is."""
        return Scenario(self._s.__copy__())

    def to_toml(self) -> str:
        """The scenario as TOML text: the text it came from, with the settings written in."""
        return self._s.to_toml()

    @property
    def settings(self) -> Dict[str, float]:
        """The settings made with :meth:`set`, in order."""
        return dict(self._s.settings())

    @property
    def name(self) -> str:
        return self._s.name

    @property
    def description(self) -> str:
        return self._s.description

    @property
    def turns(self) -> int:
        """``meta.turns``: how many turns a run plays unless told otherwise."""
        return self._s.turns

    @property
    def seed(self) -> int:
        """``meta.seed``: the master seed a run uses unless told otherwise."""
        return self._s.seed

    @property
    def third_powers(self) -> list:
        """The third powers' names, in file order."""
        return self._s.third_powers

    @property
    def origin(self) -> str:
        """The file (or name such as ``<string>``) errors name."""
        return self._s.origin

    @property
    def text(self) -> str:
        """The TOML text the scenario was read from."""
        return self._s.text

    @property
    def sha256(self) -> str:
        """SHA-256 of the text: the ``scenario_sha256`` column of a run."""
        return self._s.sha256

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, origin={self.origin!r}, turns={self.turns}, settings={self.settings!r})"

    def __copy__(self) -> "Scenario":
        return self.copy()

    def __deepcopy__(self, memo: Any) -> "Scenario":
        return self.copy()


def bundled() -> list:
    """The names of the scenarios shipped with hedgesim, for :meth:`Scenario.bundled`."""
    return list(_native.Scenario.bundled_names())


def _scenario(sc: Union[Scenario, PathLike]) -> "_native.Scenario":
    if isinstance(sc, Scenario):
        return sc._s
    if isinstance(sc, (str, os.PathLike)):
        return _native.Scenario.from_file(os.fspath(sc))
    raise TypeError(f"expected a hedgesim.Scenario or a path to a scenario file, got {type(sc).__name__}")


def _frame(columns: Sequence[Tuple[str, str, bytearray, Optional[Sequence[str]]]]) -> Any:
    """The native columns as a DataFrame, or a dict of NumPy arrays without pandas."""
    data: Dict[str, np.ndarray] = {}
    for name, dtype, buf, words in columns:
        a = np.frombuffer(buf, dtype=dtype)
        if words is not None:
            a = np.asarray(words, dtype=object)[a]
        data[name] = a
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError:
        return data
    return pd.DataFrame(data, copy=False)


def run(
    sc: Union[Scenario, PathLike],
    seed: Optional[int] = None,
    turns: Optional[int] = None,
    replication: int = 0,
    out: Optional[PathLike] = None,
) -> Any:
    """Play one run and return one row per turn, with the columns of ``hedgesim run --format csv``.

    ``seed`` is the master seed (default the scenario's ``meta.seed``), ``replication`` the run of
    that seed (its random stream, the command line's ``--replication``), ``turns`` the length
    (default ``meta.turns``). With ``out``, the run is also written there as the command line's
    CSV, byte for byte, atomically.
    """
    s = _scenario(sc)
    if out is not None:
        _native.write_run_csv(s, os.fspath(out), seed, replication, turns)
    return _frame(_native.run(s, seed, replication, turns))


def explain(sc: Union[Scenario, PathLike], turn: int, seed: Optional[int] = None, replication: int = 0) -> Dict[str, Any]:
    """One turn taken apart: the content of ``hedgesim explain --turn TURN --format json`` as a dict."""
    return json.loads(_native.explain_json(_scenario(sc), turn, seed, replication))


def _design(params: Any, names: Optional[Sequence[str]]) -> Tuple[list, np.ndarray]:
    """Column names and a C-ordered float64 matrix from a DataFrame, a dict of columns or an array."""
    if params is None:
        return [], np.zeros((1, 0))
    if hasattr(params, "columns") and hasattr(params, "to_numpy"):
        cols = [str(c) for c in params.columns]
        values = params.to_numpy(dtype=np.float64)
    elif isinstance(params, Mapping):
        cols = [str(c) for c in params.keys()]
        values = np.column_stack([np.asarray(v, dtype=np.float64) for v in params.values()]) if cols else np.zeros((1, 0))
    else:
        values = np.asarray(params, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        if names is None:
            raise TypeError("params is an array: give the field path of each column with names=[...]")
        cols = list(names)
    if values.ndim != 2 or values.shape[1] != len(cols):
        raise ValueError(f"params has shape {values.shape}, but {len(cols)} field paths name its columns")
    return cols, np.ascontiguousarray(values, dtype=np.float64)


def run_many(
    sc: Union[Scenario, PathLike],
    params: Any = None,
    replications: int = 1,
    *,
    names: Optional[Sequence[str]] = None,
    seed: Optional[int] = None,
    turns: Optional[int] = None,
    metrics_from_turn: int = 0,
    independent_seeds: bool = False,
    threads: Optional[int] = None,
) -> Any:
    """Run every configuration of ``params`` ``replications`` times on every core; one row per run.

    ``params`` is a DataFrame (or a dict of columns, or a 2-D array with ``names``) whose columns
    are field paths a sweep axis can vary (``great_power.hostility``) and whose rows are
    configurations: a SALib or EMA workbench sample matrix as it is. Runs are numbered as a sweep
    numbers them, ``run_id = config_id × replications + replication``, and replication ``r`` of
    every configuration uses stream ``r`` of the master ``seed`` (default ``meta.seed``): common
    random numbers, or stream ``run_id`` with ``independent_seeds``. Each run is summarised over
    turns ``[metrics_from_turn, turns)``. The columns are those of a sweep's ``runs.csv``, and so
    are the rows: a table-design sweep of the same rows gives the same numbers. The result does
    not depend on ``threads`` (default: all cores). The GIL is released while the runs go, and
    Ctrl-C stops them within a fraction of a second (KeyboardInterrupt).
    """
    cols, values = _design(params, names)
    return _frame(
        _native.run_many(
            _scenario(sc),
            cols,
            values.astype("<f8", copy=False).tobytes(),
            values.shape[0],
            int(replications),
            seed,
            turns,
            metrics_from_turn,
            independent_seeds,
            threads,
        )
    )


def _read_csv(path: str) -> Any:
    import pandas as pd  # type: ignore[import-untyped]

    # An empty `tilt` is a word (no tilt), not a missing value.
    return pd.read_csv(path, keep_default_na=False)


def load(folder: PathLike) -> Dict[str, Any]:
    """Read a finished sweep folder: ``runs``, ``summary`` (and ``series`` if written) as DataFrames,
    ``manifest`` as a dict. Needs pandas."""
    folder = os.fspath(folder)
    if not os.path.exists(os.path.join(folder, "manifest.json")):
        raise InputError(
            f"{folder}: not a finished sweep folder (it has no manifest.json)",
            folder,
            0,
            0,
            "",
            "not a finished sweep folder (it has no manifest.json)",
        )
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    out: Dict[str, Any] = {"manifest": manifest}
    for name in ("runs", "summary", "series"):
        path = os.path.join(folder, f"{name}.csv")
        if os.path.exists(path):
            out[name] = _read_csv(path)
    return out


def sweep(
    path: PathLike,
    out: PathLike,
    threads: Optional[int] = None,
    series: bool = False,
    independent_seeds: bool = False,
    resume: bool = False,
    force: bool = False,
) -> Any:
    """Run a sweep file into the folder ``out`` exactly as ``hedgesim sweep PATH --out OUT`` does
    (the same files, byte for byte), and return its ``summary.csv`` as a DataFrame. A folder that
    already holds this sweep, finished, is left as it is. Needs pandas."""
    _native.sweep_folder(os.fspath(path), os.fspath(out), threads, series, independent_seeds, resume, force)
    return _read_csv(os.path.join(os.fspath(out), "summary.csv"))
