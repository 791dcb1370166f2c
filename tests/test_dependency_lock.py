"""The dependency locks (requirements/runtime.txt and requirements/dev.txt, made by `make lock`)
agree with setup.cfg, pin every package with its hashes, and name everything the code imports.

`make install` and CI install the dev lock with `pip install --require-hashes`, so a requirement
added to setup.cfg without `make lock` fails here instead of being installed from nowhere.
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
SETUP = configparser.ConfigParser()
SETUP.read(ROOT / "setup.cfg", encoding="utf-8")
PIN = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})*)", re.M
)


def requirements(*sections: str) -> list[Requirement]:
    """setup.cfg's requirements: install_requires, and the named extras."""
    lines = SETUP["options"]["install_requires"].splitlines()
    for extra in sections:
        lines += SETUP["options.extras_require"][extra].splitlines()
    return [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]


def lock(name: str) -> dict[str, tuple[str, str]]:
    """A lock file's pins: canonical name -> (version, its hash lines)."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    return {canonicalize_name(pkg): (version, hashes) for pkg, version, hashes in PIN.findall(text)}


RUNTIME = ("redis",)
DEV = ("redis", "test", "bench")


@pytest.mark.parametrize(("name", "extras"), [("runtime.txt", RUNTIME), ("dev.txt", DEV)])
def test_every_requirement_in_setup_cfg_is_locked_at_a_version_it_allows(name, extras):
    pins = lock(name)
    wrong = {}
    for requirement in requirements(*extras):
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned[0], prereleases=True):
            wrong[str(requirement)] = pinned and pinned[0]
    assert wrong == {}, f"setup.cfg and requirements/{name} disagree (run `make lock`): {wrong}"


@pytest.mark.parametrize("name", ["runtime.txt", "dev.txt"])
def test_every_pin_has_a_hash(name):
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pinned_lines = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    pins = lock(name)
    assert len(pins) == len(pinned_lines) > 20
    assert [pkg for pkg, (_version, hashes) in pins.items() if "--hash=sha256:" not in hashes] == []


def test_the_dev_lock_has_the_runtime_locks_versions():
    runtime, dev = lock("runtime.txt"), lock("dev.txt")
    assert {pkg: version for pkg, (version, _) in runtime.items() if dev.get(pkg, ("",))[0] != version} == {}


def top_level_imports(folder: str) -> set[str]:
    names = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


@pytest.mark.parametrize(("folder", "extras"), [("app", RUNTIME), ("tests", DEV), ("bench", DEV)])
def test_what_the_code_imports_is_declared_in_setup_cfg(folder, extras):
    """A package imported directly must be declared, not only arrive as another's dependency."""
    declared = {canonicalize_name(r.name) for r in requirements(*extras)}
    distributions = packages_distributions()
    # The repository's own: app, bench, and the folder's helper modules (tests/factories.py, …).
    local = {path.name for path in ROOT.iterdir() if path.is_dir()}
    local |= {path.stem for path in (ROOT / folder).iterdir()}
    local |= {"etikdialog_verify"}  # the verifier, a distribution of its own in verifier/ (make install)
    undeclared = {}
    for module in top_level_imports(folder) - local:
        names = {canonicalize_name(n) for n in distributions.get(module, [module])}
        if not names & declared:
            undeclared[module] = sorted(names)
    assert undeclared == {}, f"imported by {folder}/ but not declared in setup.cfg: {undeclared}"
