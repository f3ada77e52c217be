"""Every page of the built sample site is valid HTML according to the Nu HTML checker (vnu.jar).

The checker comes from the ``vnu-jar`` npm package in tests/tools (``npm ci --prefix tests/tools``) and needs
Java 11+. It runs offline. Only errors fail the test; warnings (``--errors-only`` drops them) are not checked.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_every_page_is_valid_html(built_site: Path, vnu_jar: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20, f"only {len(pages)} pages built"
    run = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True, text=True, timeout=300)
    output = run.stderr.strip() or run.stdout.strip()  # vnu writes its report to stderr
    try:
        report = json.loads(output)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar exited {run.returncode} without a JSON report:\n{run.stdout}\n{run.stderr}")
    messages = report.get("messages", [])
    lines = []
    for m in messages:
        where = m.get("url", "").replace(built_site.as_uri() + "/", "")
        at = f":{m.get('lastLine', m.get('firstLine', '?'))}.{m.get('firstColumn', '?')}" if "lastLine" in m else ""
        extract = (m.get("extract") or "").replace("\n", "⏎")[:160]
        lines.append(f"{where}{at}: {m.get('type')}{'/' + m['subType'] if m.get('subType') else ''}: "
                     f"{m.get('message')}\n    {extract}")
    if lines:
        print("\n" + "\n".join(lines))
    assert not messages, f"vnu: {len(messages)} error(s)\n" + "\n".join(lines)
    assert run.returncode == 0, run.stderr
