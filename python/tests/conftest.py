"""Shared fixtures: the repository, and the command line built from it (target/release/hedgesim,
or $HEDGESIM), which the package's results are checked against."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    exe = Path(os.environ.get("HEDGESIM", ROOT / "target" / "release" / "hedgesim"))
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build the command line first (cargo build --release)")

    def call(*args, cwd=ROOT):
        """Run the command line; its standard output as bytes (a failure fails the test)."""
        done = subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    return call


@pytest.fixture(scope="session")
def root():
    return ROOT
