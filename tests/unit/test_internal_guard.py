"""The internal build never lands where the external one is published from: site-internal/ by default, a
refusal (exit 2) for site/ or a folder holding an external build unless --force, and the banner and noindex
on every page it writes."""
from __future__ import annotations

from pathlib import Path

from generator.plan import PROSPECT_SECRET_ENV

INTERNAL_PAGE = "---\ntitle: Battle cards\naudience: internal\n---\nInternal.\n"


def everything(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and "content" not in p.relative_to(root).parts}


def test_an_internal_build_goes_to_site_internal_by_default(tree, cli):
    run = cli(tree.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    assert (tree.root / "site-internal" / "index.html").is_file()
    assert not (tree.root / "site").exists()
    assert "site-internal/" in run.out
    assert cli(tree.root, "build").code == 0
    assert (tree.root / "site" / "index.html").is_file()  # the external default is unchanged


def test_an_internal_build_refuses_site_unless_forced(tree, cli):
    assert cli(tree.root, "build").code == 0
    before = everything(tree.root)
    for out in ("site", "./site", str(tree.root / "site")):
        run = cli(tree.root, "build", "--audience", "internal", "--out", out)
        assert run.code == 2, out
        assert "refusing to write the internal build" in run.err and "--force" in run.err
    assert everything(tree.root) == before
    run = cli(tree.root, "build", "--audience", "internal", "--out", "site", "--force")
    assert run.code == 0, run.err
    assert b"internal-banner" in (tree.root / "site" / "index.html").read_bytes()


def test_an_internal_build_refuses_any_folder_holding_an_external_build(tree, cli):
    assert cli(tree.root, "build", "--out", "public").code == 0
    before = everything(tree.root)
    run = cli(tree.root, "build", "--audience", "internal", "--out", "public")
    assert run.code == 2 and "holds an external build" in run.err
    assert everything(tree.root) == before
    assert cli(tree.root, "build", "--audience", "internal", "--out", "public", "--force").code == 0
    # once it holds an internal build, rebuilding it internally is fine; the external build may replace it
    assert cli(tree.root, "build", "--audience", "internal", "--out", "public").code == 0
    assert cli(tree.root, "build", "--out", "public").code == 0


def test_the_workflows_internal_build_still_works(tree, cli):
    """.github/workflows/pages.yml builds the external site into site/, then the internal one with
    --out site-internal: both succeed in that order."""
    assert cli(tree.root, "build").code == 0
    assert cli(tree.root, "build", "--audience", "internal", "--out", "site-internal").code == 0


def test_every_page_of_an_internal_build_has_the_banner_and_noindex(tree, cli, monkeypatch):
    tree.write("pages/battle-cards.md", INTERNAL_PAGE)
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nevaluating: [beta]\n")
    monkeypatch.setenv(PROSPECT_SECRET_ENV, "s3cret")
    run = cli(tree.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    pages = sorted((tree.root / "site-internal").rglob("*.html"))
    assert len(pages) > 10
    assert tree.root / "site-internal" / "prospects" / "index.html" in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<div class="internal-banner" role="note">Internal — contains talk tracks and notes. Do not share with prospects.</div>' in html, page
        assert '<meta name="robots" content="noindex, nofollow">' in html, page
