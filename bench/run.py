"""Build-speed benchmark: synthetic markets of growing size, reported as ratios in one run.

    python bench/run.py [--sizes 10,100,300] [--out bench/out]

For each size it writes a market (the sample's site.yaml, companies cloned from the sample with varied
scores and prices), builds it once to warm up and then times a second build. Reported:
  * ms per page, and that figure against the reference points measured on this kind of machine for the
    same page count: Hugo ~2.4 ms/page, MkDocs ~32 ms/page (see the README's speed facts);
  * linearity: time per company at each size divided by the time per company at the smallest size
    (1.0 = linear; the home page and the value map grow with the company count, so expect a little above);
  * peak memory (max RSS of the process).
Nothing here asserts: a benchmark reports, tests decide.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402

HUGO_MS_PER_PAGE, MKDOCS_MS_PER_PAGE = 2.4, 32.0


def _jitter(node, rng: random.Random):
    if isinstance(node, dict):
        return {k: (_jitter(v, rng) if k not in ("date", "as_of", "source", "tier", "url", "internal") else v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_jitter(v, rng) for v in node]
    if isinstance(node, float) or (isinstance(node, int) and not isinstance(node, bool)):
        return node  # seat counts and prices are scaled below; scores jittered in _scores
    return node


def _scores(node, rng: random.Random):
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return round(min(10.0, max(0.0, node + rng.uniform(-2, 2))), 1)
    if isinstance(node, dict):
        return {k: (_scores(v, rng) if k in ("value",) or k not in ("date", "source", "as_of", "url", "note",
                                                                     "internal") else v) for k, v in node.items()}
    if isinstance(node, list):
        return [_scores(v, rng) for v in node]
    return node


def make_market(root: Path, size: int) -> Path:
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    sources = sorted((content / "companies").glob("*.yaml"))
    templates = [yaml.load(p.read_text(), Loader=yaml.CSafeLoader) for p in sources]
    rng = random.Random(size)
    for i in range(size - len(sources)):
        data = dict(templates[i % len(templates)])
        data["name"] = f"{data['name']} {i + 1}"
        data["scores"] = _scores(data["scores"], rng)
        factor = rng.uniform(0.7, 1.4)
        data["prices"] = [dict(p, price=round(p["price"] * factor, 2)) for p in data["prices"]]
        (content / "companies" / f"synthetic-{i + 1:04d}.yaml").write_text(
            yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,300")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            content = make_market(Path(tmp), size)
            out = Path(tmp) / "site"
            build(content, out, Diagnostics())  # warm-up: imports, template compilation caches
            start = time.perf_counter()
            result = build(content, out, Diagnostics())
            seconds = time.perf_counter() - start
            rows.append((size, result.pages, seconds, result.timings.phases))
    base_per_company = rows[0][2] / rows[0][0]
    print(f"{'companies':>9} {'pages':>6} {'seconds':>8} {'ms/page':>8} {'vs Hugo':>8} {'vs MkDocs':>9} {'linearity':>9}  phases (ms)")
    for size, pages, seconds, phases in rows:
        per_page = 1000 * seconds / pages
        phase_text = " ".join(f"{k}={v * 1000:.0f}" for k, v in phases.items())
        print(f"{size:>9} {pages:>6} {seconds:>8.2f} {per_page:>8.1f} {per_page / HUGO_MS_PER_PAGE:>7.1f}x "
              f"{per_page / MKDOCS_MS_PER_PAGE:>8.2f}x {(seconds / size) / base_per_company:>9.2f}  {phase_text}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
