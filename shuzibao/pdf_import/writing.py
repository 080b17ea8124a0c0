"""Writing an import into the content tree, so that nothing an editor wrote is ever lost.

- Every page's files are made in a staging folder inside the content folder (a dot folder the
  build ignores) and moved into place only once the whole import has been made: a failed import
  leaves the tree as it was.
- A page folder that exists is left alone unless --force; then only the files the last import
  wrote and nobody has changed since are replaced. The import keeps their digests in a manifest
  beside them (`.import.json`, ignored by the build as every dot file is). A file an editor
  changed, or deleted, or wrote where the import would write, is left as it is and named.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..model import shown_label

MANIFEST = ".import.json"
FORMAT = "shuzibao-import/1"


@dataclass
class PageFiles:
    folder: str  # the page folder's name: 01
    files: dict[str, bytes]  # file name -> contents
    source: str  # the PDF it came from, for the manifest


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)  # paths relative to the content folder
    kept: list[tuple[str, str]] = field(default_factory=list)  # (path, why) left as the editor has it
    removed: list[str] = field(default_factory=list)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def existing_folder(issue: Path, label: str) -> Path | None:
    """The page folder of the issue that is this page (01 and 1 are the same page)."""
    if not issue.is_dir():
        return None
    for folder in issue.iterdir():
        if folder.is_dir() and not folder.name.startswith(".") and _same_page(folder.name, label):
            return folder
    return None


def _same_page(name: str, label: str) -> bool:
    try:
        return shown_label(name) == shown_label(label)
    except ValueError:
        return False


def commit(content: Path, date: str, pages: list[PageFiles], force: bool) -> Outcome:
    """Stage every page's files, then move them into place (the caller has checked that the
    folders that exist may be written, i.e. `force`)."""
    outcome = Outcome()
    issue = content / date
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=content))
    try:
        plans = []
        for page in pages:
            stage = staging / page.folder
            stage.mkdir()
            for name, data in page.files.items():
                (stage / name).write_bytes(data)
            target = existing_folder(issue, page.folder)
            plans.append((page, stage, target))
        issue.mkdir(exist_ok=True)
        for page, stage, target in plans:
            if target is None:
                _write_manifest(stage, page, set(page.files))
                os.replace(stage, issue / page.folder)
                outcome.written += [f"{date}/{page.folder}/{name}" for name in sorted(page.files)]
            elif force:
                _update(target, stage, page, f"{date}/{target.name}", outcome)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcome


def _update(target: Path, stage: Path, page: PageFiles, rel: str, outcome: Outcome) -> None:
    """Replace what the last import wrote and nobody changed; keep and name everything else."""
    previous = _read_manifest(target)
    ours = set()
    for name in sorted(page.files):
        current = target / name
        known = previous.get(name)
        if current.exists():
            if known is None or digest(current.read_bytes()) != known:
                outcome.kept.append((f"{rel}/{name}", "已被编辑修改（或不是导入写的）"))
                continue
        elif known is not None:
            outcome.kept.append((f"{rel}/{name}", "已被编辑删除"))
            continue
        os.replace(stage / name, current)
        ours.add(name)
        outcome.written.append(f"{rel}/{name}")
    for name, known in previous.items():
        current = target / name
        if name not in page.files and current.is_file() and digest(current.read_bytes()) == known:
            current.unlink()
            outcome.removed.append(f"{rel}/{name}")
    _write_manifest(target, page, ours)


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {}) if data.get("format") == FORMAT else {}
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, AttributeError):
        return {}  # no manifest (or a broken one): every file there is the editor's


def _write_manifest(folder: Path, page: PageFiles, names: set[str]) -> None:
    record = {
        "format": FORMAT,
        "source": page.source,
        "note": "python build.py import 写的文件及其摘要：--force 只替换摘要未变（无人修改）的文件",
        "files": {name: digest(page.files[name]) for name in sorted(names)},
    }
    (folder / MANIFEST).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
