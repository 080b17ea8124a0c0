"""The program as a newsroom installs it: a plain `pip install .` into a fresh venv builds the sample
edition exactly as the checkout does, and an edit to any module of the program, in any
subpackage, makes the next build a full one (the build cache digests the whole program)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT, SAMPLE, run, snapshot


def python_in(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run_program(python: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_a_plain_install_into_a_fresh_venv_builds_the_sample_as_the_checkout_does(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = python_in(venv)
    installed = run_program(python, "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT), cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    # The libraries come from this test run's own environment, added after the install (a .pth
    # line), so that the test needs no download and checks only what `pip install .` put in place.
    site = Path(run_program(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip())
    (site / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = run_program(python, "-c", "import shuzibao; print(shuzibao.__file__)", cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the installed copy, not the checkout
    built = run_program(python, "-m", "shuzibao", "build", "--content", str(SAMPLE), "--out", str(tmp_path / "installed"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert run("build", "--content", str(SAMPLE), "--out", str(tmp_path / "checkout"), "--no-cache").code == 0
    console = venv / ("Scripts/shuzibao.exe" if os.name == "nt" else "bin/shuzibao")  # the command named like the project
    checked = subprocess.run([str(console), "check", "--content", str(SAMPLE)], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0 and "检查通过" in checked.stdout, checked.stderr
    assert snapshot(tmp_path / "installed", marker=False) == snapshot(tmp_path / "checkout", marker=False)


def test_editing_a_module_inside_a_subpackage_forces_a_full_build(tmp_path: Path) -> None:
    program = tmp_path / "program"
    for name in ("shuzibao", "templates", "theme"):
        shutil.copytree(ROOT / name, program / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(program)}  # this copy of the program, not the checkout
    build = ["-m", "shuzibao", "build", "--content", str(SAMPLE), "--out", str(tmp_path / "out"), "--no-search"]
    assert "构建完成" in run_program(Path(sys.executable), *build, cwd=tmp_path, env=env).stdout
    assert "增量构建" in run_program(Path(sys.executable), *build, cwd=tmp_path, env=env).stdout  # nothing changed: cached
    with open(program / "shuzibao" / "render" / "routes.py", "a", encoding="utf-8") as module:
        module.write("\n# a developer's edit\n")
    again = run_program(Path(sys.executable), *build, cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert "构建完成" in again.stdout and "增量构建" not in again.stdout


def test_a_python_without_the_libraries_says_what_to_do_and_is_not_a_content_fault(tmp_path: Path) -> None:
    bare = subprocess.run([sys.executable, "-S", "-E", "build.py", "build", "--content", str(SAMPLE), "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert bare.returncode == 3, bare.stderr  # 1 would say the content is at fault
    assert "Traceback" not in bare.stderr and "没有装本程序需要的库" in bare.stderr and "make serve" in bare.stderr
    assert len(bare.stderr.strip().splitlines()) == 1
