"""The package shows the pipeline: a folder per stage, small modules, and imports that go one way.

These are the rules README.md's "How it is built" describes; a change that breaks one fails here
rather than in a reviewer's head.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "shuzibao"
STAGES = {"content", "scripts", "render", "search", "build", "preview", "pdf_import"}
TOP = {"__init__", "__main__", "cli", "faults", "model", "urls"}

# What each stage may import of the package, besides the top modules model, faults and urls.
# Loading and checking content needs nothing that renders; rendering is given a model and reads
# or checks nothing (so it imports nothing of content/); only the build and the preview run stages.
ALLOWED = {
    "content": set(),
    "scripts": {"content"},  # the body's text runs, which conversion converts
    "search": {"content", "scripts"},
    "render": {"scripts", "search"},  # the search page's data
    "build": {"content", "scripts", "render", "search"},
    "preview": {"build", "content", "search"},
    "pdf_import": {"content"},  # the typed jump marker and front matter reading; it builds nothing
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imported_stages(path: Path) -> set[str]:
    """The package's stages a module imports, from its relative and absolute imports."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            parts = [*base, *(node.module or "").split(".")] if node.module else base
            names = [[*parts, alias.name] for alias in node.names] if parts == ["shuzibao"] or not node.module else [parts]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        else:
            continue
        found |= {name[1] for name in names if len(name) > 1 and name[0] == "shuzibao" and name[1] in STAGES}
    return found


def test_the_package_is_a_folder_per_stage_and_the_few_modules_every_stage_shares() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == STAGES
    assert {p.stem for p in PACKAGE.glob("*.py")} == TOP


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_each_stage_imports_only_the_stages_before_it() -> None:
    broken = {}
    for path in modules():
        stage = path.relative_to(PACKAGE).parts[0]
        if stage in STAGES:
            extra = imported_stages(path) - ALLOWED[stage] - {stage}
            if extra:
                broken[str(path.relative_to(ROOT))] = sorted(extra)
    assert broken == {}


def test_the_import_rule_sees_relative_and_absolute_imports() -> None:
    """The rule above must be able to fail: a rendering module that reads content is caught."""
    module = PACKAGE / "render" / "pages.py"
    assert "scripts" in imported_stages(module) and "content" not in imported_stages(module)
    assert "content" in imported_stages(PACKAGE / "build" / "worker.py")
    assert imported_stages(PACKAGE / "cli.py") >= {"build", "preview"}


def test_pyproject_installs_every_subpackage() -> None:
    """A plain `pip install .` installs what is listed (test_install.py builds with it)."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(settings["packages"])
    assert listed == {"shuzibao", *(f"shuzibao.{stage}" for stage in STAGES), "shuzibao.templates", "shuzibao.theme"}
    assert settings["package-dir"] == {"shuzibao.templates": "templates", "shuzibao.theme": "theme"}


def test_a_build_does_not_load_the_pdf_import_libraries() -> None:
    """The PDF readers and pypinyin are about 70 MB in every process of a build (the main one and
    each worker, forked from it), beside Pagefind's month: only `import` loads them."""
    heavy = ("pypinyin", "pdfplumber", "pypdfium2", "pdfminer")
    probe = f"import sys, shuzibao.cli; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(heavy)!r}))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
