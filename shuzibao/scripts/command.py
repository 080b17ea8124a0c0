"""`convert`: a text in a variant's script, as the build would write it; `--explain` says why.

    python build.py convert --explain 并发布了“十四五”规划 --variant zh-Hant

prints OpenCC's result, ours, and for each difference what made it (a dictionary entry with its
file and line, a byline's name, the quotation marks, the glossary). The variant and the
glossary are the content folder's site.yaml's; without one, the default variants (zh-Hant: s2tw,
zh-HK: s2hk). An OpenCC config name (s2tw, s2hk, s2t) may stand for the variant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..content import load, schema
from ..faults import EXIT_FAULTS, EXIT_OK, EXIT_USAGE, Faults, print_faults
from ..model import Variant
from .conversion import glossary_for
from .explain import explain

DEFAULTS = (Variant("zh-Hant", "繁體", "s2tw", "zh-hant/", "corner"), Variant("zh-HK", "香港繁體", "s2hk", "zh-hk/", "corner"))


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser], root: Path) -> None:
    convert = commands.add_parser("convert", help="convert a text as the build would (--explain: what our dictionary changed)")
    convert.add_argument("text", nargs="?", help="the simplified text (default: read from standard input)")
    convert.add_argument("--variant", default="zh-Hant", help="a variant code of site.yaml (default: zh-Hant) or an OpenCC config: s2tw, s2hk, s2t")
    convert.add_argument("--explain", action="store_true", help="print OpenCC's result, ours, and what made each difference")
    convert.add_argument("--content", type=Path, default=root / "content", help="the content folder whose site.yaml gives the variants and glossary (default: content/)")


def run_convert(args: argparse.Namespace) -> int:
    text = args.text if args.text is not None else sys.stdin.read().rstrip("\n")
    variants: tuple[Variant, ...] = DEFAULTS
    glossary: dict[str, dict[str, str]] = {}
    if (args.content / "site.yaml").is_file():
        faults = Faults()
        site = load.load_site(args.content, faults)
        if faults.errors:
            print_faults(faults.errors)
            return EXIT_FAULTS
        variants, glossary = site.variants[1:], site.glossary
    chosen = next((v for v in variants if v.code.lower() == args.variant.lower()), None)
    if chosen is None and args.variant in schema.OPENCC_CONFIGS:
        chosen = Variant(args.variant, args.variant, args.variant, "", schema.quotes_for({"opencc": args.variant}))
    if chosen is None or chosen.opencc is None:
        known = "、".join([v.code for v in variants] + list(schema.OPENCC_CONFIGS))
        print(f"没有字形版本“{args.variant}”：可用 {known}", file=sys.stderr)
        return EXIT_USAGE
    result = explain(text, chosen.opencc, glossary_for(chosen, glossary), chosen.quotes == "corner")
    if not args.explain:
        print(result.ours)
        return EXIT_OK
    print(f"OpenCC（{chosen.opencc}）：{result.stock}")
    print(f"本报（{chosen.code}）：{result.ours}")
    if not result.differences:
        print("两者相同。")
    for difference in result.differences:
        print(f"  第 {difference.start + 1} 字起 {difference.source}：OpenCC {difference.stock} → 本报 {difference.ours}　{difference.reason}")
    return EXIT_OK
