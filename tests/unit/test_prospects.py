"""Prospect pages: what a prospect's page shows (its own weights, its own competitors, its own note — and
nothing internal, nothing of another prospect), where it lives (an unguessable, stable address from
VALUEMAP_PROSPECT_SECRET) and what happens without the secret."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path

import pytest

from generator.build import check
from generator.diagnostics import Diagnostics
from generator.formats import Formatter
from generator.plan import PROSPECT_SECRET_ENV, TOKEN_LENGTH, prospect_token
from generator.score import scenario_map
from generator.views.prospect import prospect_scenario

SECRET, OTHER_SECRET = "correct horse battery staple", "another secret entirely"

# Acme's own page: weights {usability: 1, service: 3} over segment "small" ({usability: 3, service: 1}) →
# usability 0.25, service 0.75, at the segment's price point (2 seats; every plan fits, prices 60/40/50).
ACME = """\
name: Acme Widgets Ltd
segment: small
weights: {usability: 1, service: 3}
evaluating: [beta]
note: "OWN-NOTE-acme: thank you for your time, *Ada*."
internal_notes: "CANARY-PROSPECT-INTERNAL-acme 5.8317"
"""
# Every field of the other prospect is a canary on Acme's page (and Acme's on this one's).
ZENITH = """\
name: Zenith Canary Holdings
segment: small
weights: {usability: 0.4321, service: 1}
evaluating: [gamma]
note: "OWN-NOTE-zenith: CANARY-OTHER-NOTE 8.2468"
internal_notes: "CANARY-PROSPECT-INTERNAL-zenith 7.6543"
"""
INTERNAL_PAGE = "---\ntitle: Battle plan\naudience: internal\n---\n# Plan\n\nCANARY-PAGE-internal 6.7291\n"
OBJECTIONS = """\
objections:
  - objection: "CANARY-OBJECTION-gamma"
    response: "CANARY-RESPONSE-gamma 3.9173"
"""
INTERNAL_EVIDENCE = ("    setup: {evidence: [{source: mystery-shopper, value: 2.7182, date: 2026-10-01, internal: true, "
                     "note: CANARY-EVIDENCE-beta}]}")

# Every internal-only string and number of the tree (talk tracks and internal notes are SECRET-… in conftest).
INTERNAL_CANARIES = ["SECRET", "CANARY-PROSPECT-INTERNAL", "5.8317", "7.6543", "CANARY-PAGE-internal", "6.7291",
                     "Battle plan", "CANARY-OBJECTION", "CANARY-RESPONSE", "3.9173", "CANARY-EVIDENCE", "2.7182",
                     "4.4417"]
# What belongs to one prospect only (slug → strings that must not appear on any other prospect's page).
OWN = {"acme": ["Acme Widgets", "OWN-NOTE-acme", "CANARY-PROSPECT-INTERNAL-acme"],
       "zenith": ["Zenith Canary", "OWN-NOTE-zenith", "CANARY-OTHER-NOTE", "8.2468", "0.4321",
                  "CANARY-PROSPECT-INTERNAL-zenith"]}


def canary_tree(tree) -> None:
    tree.write("prospects/acme.yaml", ACME)
    tree.write("prospects/zenith.yaml", ZENITH)
    tree.write("pages/battle-plan.md", INTERNAL_PAGE)
    tree.replace("companies/beta.yaml", 'talk_track: "SECRET-TALK-beta"', 'talk_track: "SECRET-TALK-beta 4.4417"')
    text = tree.read("companies/gamma.yaml")
    (tree.content / "companies" / "gamma.yaml").write_text(text + OBJECTIONS, encoding="utf-8")
    text = tree.read("companies/beta.yaml")
    lines = [ln for ln in text.splitlines() if not ln.startswith("    setup:")]
    lines.insert(lines.index("  usability:") + 1, INTERNAL_EVIDENCE)
    (tree.content / "companies" / "beta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(cli, tree, monkeypatch, out: str, secret: str | None, *args: str):
    if secret is None:
        monkeypatch.delenv(PROSPECT_SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(PROSPECT_SECRET_ENV, secret)
    run = cli(tree.root, "build", "--out", out, *args)
    assert run.code == 0, run.err + run.out
    return tree.root / out, run


def page_of(site: Path, secret: str, slug: str) -> Path:
    return site / "prospects" / f"{prospect_token(secret, slug)}.html"


def files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


@pytest.fixture
def canary_site(tree, cli, monkeypatch) -> Path:
    canary_tree(tree)
    site, _ = build(cli, tree, monkeypatch, "site", SECRET)
    return site


# --- (a) nothing internal, nothing of another prospect ---------------------------------------------------

@pytest.mark.parametrize("slug", ["acme", "zenith"])
def test_a_prospect_page_holds_no_internal_content_and_no_other_prospect(canary_site, slug):
    page = page_of(canary_site, SECRET, slug)
    data = page.read_bytes()
    others = [s for other, strings in OWN.items() if other != slug for s in strings]
    leaked = [c for c in INTERNAL_CANARIES + others if c.encode("utf-8") in data]
    assert leaked == []
    assert f"OWN-NOTE-{slug}".encode() in data  # its own note is there (rendered Markdown)
    if slug == "acme":
        assert b"<em>Ada</em>" in data


def test_the_canaries_are_real(tree, cli, monkeypatch):
    """The internal build does show the internal canaries: the test above would catch a leak."""
    canary_tree(tree)
    site, _ = build(cli, tree, monkeypatch, "internal-out", SECRET, "--audience", "internal")
    text = b"".join(p.read_bytes() for p in files(site))
    for canary in ["SECRET-TALK-beta 4.4417", "CANARY-RESPONSE-gamma 3.9173", "CANARY-EVIDENCE-beta",
                   "CANARY-PAGE-internal 6.7291"]:
        assert canary.encode() in text, canary


def test_the_external_site_has_no_prospect_list_and_links_no_prospect_page(canary_site):
    # The folder's own address is a "not found" page: a host that lists folders (Apache, nginx autoindex,
    # python -m http.server) showed a prospect who cut its link back to prospects/ every other address.
    index = (canary_site / "prospects" / "index.html").read_text(encoding="utf-8")
    assert "<title>Page not found" in index
    for slug in ("acme", "zenith"):
        assert prospect_token(SECRET, slug) not in index
    assert not any(name in index for name in ("Acme", "Zenith"))
    pages = sorted(p.name for p in (canary_site / "prospects").iterdir())
    assert pages == sorted([f"{prospect_token(SECRET, s)}.html" for s in ("acme", "zenith")] + ["index.html"])
    for path in files(canary_site):
        if path.parent.name != "prospects":
            assert b"prospects/" not in path.read_bytes() or path.name == ".valuemap-site", path


def test_a_prospect_page_is_noindex_unlisted_and_external(canary_site):
    html = page_of(canary_site, SECRET, "acme").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "internal-banner" not in html


# --- (b) the address ---------------------------------------------------------------------------------------

def test_addresses_are_stable_with_one_secret_and_differ_with_another(tree, cli, monkeypatch):
    canary_tree(tree)
    one, _ = build(cli, tree, monkeypatch, "one", SECRET)
    two, _ = build(cli, tree, monkeypatch, "two", SECRET)
    three, _ = build(cli, tree, monkeypatch, "three", OTHER_SECRET)
    names = lambda site: sorted(p.name for p in (site / "prospects").iterdir() if p.name != "index.html")  # noqa: E731
    assert names(one) == names(two)
    assert set(names(one)).isdisjoint(names(three))
    assert page_of(one, SECRET, "acme").read_bytes() == page_of(two, SECRET, "acme").read_bytes()


def test_the_address_is_not_derivable_from_the_slug(canary_site):
    for slug in ("acme", "zenith"):
        token = prospect_token(SECRET, slug)
        assert len(token) == TOKEN_LENGTH and re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert slug not in token.lower()
        digest = hashlib.sha256(slug.encode()).digest()
        assert token not in (digest.hex(), base64.urlsafe_b64encode(digest).decode())
        assert not digest.hex().startswith(token) and not base64.urlsafe_b64encode(digest).decode().startswith(token)
        expected = base64.urlsafe_b64encode(hmac.new(SECRET.encode(), slug.encode(), hashlib.sha256).digest())
        assert token == expected.decode()[:TOKEN_LENGTH]  # HMAC-SHA256(secret, slug), truncated
        assert page_of(canary_site, SECRET, slug).is_file()
        assert slug not in str(page_of(canary_site, SECRET, slug).relative_to(canary_site))


def test_the_token_is_in_no_other_file_of_the_external_site(canary_site):
    for slug in ("acme", "zenith"):
        token = prospect_token(SECRET, slug).encode()
        page = page_of(canary_site, SECRET, slug)
        found = [str(p.relative_to(canary_site)) for p in files(canary_site) if p != page and token in p.read_bytes()]
        # The build's manifest lists every file it wrote: see test_the_manifest_does_not_name_prospect_pages.
        assert [f for f in found if f != ".valuemap-site"] == []


def test_the_manifest_does_not_name_prospect_pages(canary_site, tree, cli, monkeypatch):
    """The manifest is published (hosts serve dot-files): prospect pages are listed by the digest of their
    path, and a rebuild still recognises them as valuemap's (no "not written by valuemap" refusal)."""
    manifest = (canary_site / ".valuemap-site").read_text(encoding="utf-8")
    for slug in ("acme", "zenith"):
        assert prospect_token(SECRET, slug) not in manifest
    assert len(re.findall(r"^prospects/sha256-[0-9a-f]{64}$", manifest, re.M)) == 3  # and the folder's stub
    for page in (canary_site / "prospects").iterdir():  # hashed, but not only because of the hashing
        assert f"prospects/{page.name}" not in manifest
    rebuilt, run = build(cli, tree, monkeypatch, canary_site.name, SECRET)
    assert rebuilt == canary_site and run.code == 0
    (canary_site / "prospects" / "planted.html").write_text("not ours", encoding="utf-8")
    refused = cli(tree.root, "build", "--out", "site")
    assert refused.code == 2 and "prospects/planted.html" in refused.err


def test_in_a_site_of_several_languages_the_token_is_in_no_file_but_its_page(tree, cli, monkeypatch):
    """Each language's sub-site has its own prospects/ folder (en/prospects/…): the published manifest hashes
    those too — listed by name, every prospect's address was one request away (/.valuemap-site)."""
    canary_tree(tree)
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nlanguages: [en, et]\n")
    site, _ = build(cli, tree, monkeypatch, "site", SECRET)
    for slug in ("acme", "zenith"):
        token = prospect_token(SECRET, slug).encode()
        pages = sorted(site.glob(f"*/prospects/{token.decode()}.html"))
        assert [p.parent.parent.name for p in pages] == ["en", "et"]
        assert [str(p.relative_to(site)) for p in files(site) if p not in pages and token in p.read_bytes()] == []
    manifest = (site / ".valuemap-site").read_text(encoding="utf-8")
    assert len(re.findall(r"^(en|et)/prospects/sha256-[0-9a-f]{64}$", manifest, re.M)) == 6  # with the stubs
    rebuilt, run = build(cli, tree, monkeypatch, "site", SECRET)  # still recognised as valuemap's own files
    assert rebuilt == site and run.code == 0


def test_a_link_written_to_a_prospect_page_is_warned_and_published_as_its_text(tree, cli, monkeypatch):
    """A company's summary (shown on public pages) and another prospect's note that link to Acme's page: a
    warning at each, and the page's address in no file of the external site but the page itself."""
    canary_tree(tree)
    acme = prospect_token(SECRET, "acme")
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."',
                 f'summary: "Beta sells widgets, see [a case](../prospects/{acme}.html), [the deal]'
                 f'(https://www.example.com/prospects/{acme}.html) and [the list](../prospects/)."')
    tree.replace("prospects/zenith.yaml", 'note: "OWN-NOTE-zenith:', f'note: "[Acme]({acme}.html) OWN-NOTE-zenith:')
    site, run = build(cli, tree, monkeypatch, "site", SECRET)
    warned = [line for line in run.out.splitlines() + run.err.splitlines() if "(link-to-prospect-page)" in line]
    # the relative link and the full address (any host: the token is the secret) in beta's summary; zenith's
    assert [w.split(":")[0] for w in warned] == ["content/companies/beta.yaml"] * 2 + ["content/prospects/zenith.yaml"]
    page = page_of(site, SECRET, "acme")
    assert [str(p.relative_to(site)) for p in files(site) if p != page and acme.encode() in p.read_bytes()] == []
    beta = (site / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "see a case, the deal and the list." in beta and "../prospects/" not in beta  # the list withheld too
    assert "(link-to-internal-page)" in run.out + run.err


def test_the_internal_build_lists_the_same_addresses_with_copy_buttons(tree, cli, monkeypatch):
    canary_tree(tree)
    external, _ = build(cli, tree, monkeypatch, "site", SECRET)
    internal, run = build(cli, tree, monkeypatch, "site-internal", SECRET, "--audience", "internal")
    assert "prospect links for sales: prospects/index.html" in run.out
    assert not list((internal / "prospects").glob("*")) == []
    index = (internal / "prospects" / "index.html").read_text(encoding="utf-8")
    copies = re.findall(r'<button type="button" class="copy" data-copy="([^"]+)"', index)
    # base_url '/' is not absolute: the path from the external site's root, which exists in the external build
    assert sorted(copies) == sorted(f"prospects/{prospect_token(SECRET, s)}.html" for s in ("acme", "zenith"))
    for path in copies:
        assert (external / path).is_file()
    assert "onclick" not in index and "<script>" not in index  # the handler is valuemap.js's (CSP)
    assert "internal-banner" in index and 'content="noindex, nofollow"' in index
    assert sorted(p.name for p in (internal / "prospects").iterdir()) == ["index.html"]  # no prospect pages


def test_the_internal_list_shows_absolute_addresses_when_base_url_is(tree, cli, monkeypatch):
    canary_tree(tree)
    tree.write("site.yaml", tree.read("site.yaml") + "base_url: https://example.com/market/\n")
    internal, _ = build(cli, tree, monkeypatch, "site-internal", SECRET, "--audience", "internal")
    index = (internal / "prospects" / "index.html").read_text(encoding="utf-8")
    url = f"https://example.com/market/prospects/{prospect_token(SECRET, 'acme')}.html"
    assert f'data-copy="{url}"' in index and f'href="{url}"' in index
    external, _ = build(cli, tree, monkeypatch, "site", SECRET)
    assert prospect_token(SECRET, "acme").encode() not in (external / "sitemap.xml").read_bytes()


# --- (c) without the secret ------------------------------------------------------------------------------

def test_without_the_secret_there_are_no_prospect_pages_and_the_build_says_so_once(tree, cli, monkeypatch):
    canary_tree(tree)
    site, run = build(cli, tree, monkeypatch, "site", None)
    assert not (site / "prospects").exists()
    assert run.out.count(f"no prospect pages: {PROSPECT_SECRET_ENV} is not set") == 1
    assert "warning" not in (run.out + run.err).lower()
    diagnostics = Diagnostics()  # a note, not a diagnostic: --strict (warnings → errors) cannot fail on it
    checked = check(tree.content, diagnostics, prospect_secret=None)
    assert not [d for d in diagnostics.items if "prospect" in str(d).lower()]
    assert any("no prospect pages" in n for n in checked.plan.notes)
    internal, run = build(cli, tree, monkeypatch, "site-internal", None, "--audience", "internal")
    assert "VALUEMAP_PROSPECT_SECRET was not set" in (internal / "prospects" / "index.html").read_text("utf-8")


def test_a_blank_secret_is_no_secret(tree, cli, monkeypatch):
    canary_tree(tree)
    site, run = build(cli, tree, monkeypatch, "site", "   ")
    assert not (site / "prospects").exists() and "no prospect pages" in run.out


def test_without_prospect_files_nothing_is_said(tree, cli, monkeypatch):
    site, run = build(cli, tree, monkeypatch, "site", None)
    assert "prospect" not in run.out and not (site / "prospects").exists()


# --- (d) the numbers are the site's arithmetic with the prospect's weights -----------------------------

def _rows(html: str, caption: str) -> list[list[str]]:
    start = html.index(caption)
    body = html[html.index("<tbody>", start):html.index("</tbody>", start)]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_numbers_equal_scenario_map_with_the_prospects_weights(tree, cli, monkeypatch):
    canary_tree(tree)
    site, _ = build(cli, tree, monkeypatch, "site", SECRET)
    html = page_of(site, SECRET, "acme").read_text(encoding="utf-8")
    checked = check(tree.content, Diagnostics(), prospect_secret=SECRET)
    content = checked.content
    scenario = prospect_scenario(content.site, content.prospects["acme"])
    assert dict(scenario.weights) == {"usability": 0.25, "service": 0.75}
    vmap = scenario_map(content.site, content.companies, checked.scores.companies, scenario, "external",
                        checked.scores.today)
    fmt = Formatter(content.site.lang, content.site.currency, 0)
    rows = _rows(html, "Value map data and ranking by value for money")
    assert [(r[0], r[1], r[2], r[3], r[6], r[7]) for r in rows] == [
        (str(p.rank), p.name, fmt.number(p.relative_quality), fmt.number(p.relative_price), fmt.money(p.price),
         fmt.money(p.justified_price)) for p in vmap.positions]
    # By hand (averages of the other companies; beta's setup is internal-only evidence here, so unknown, and
    # alpha's setup average is gamma's 4): setup 8/4 = 2, daily use 8/7, service 9/6 = 1.5 →
    # RQ(alpha) = 100 · (0.25 · (0.25 · 2 + 0.75 · 8/7) + 0.75 · 1.5) = 146.4286; RP = 100 · 60/45 = 133.3333;
    # justified = 1.464286 · 45 = €65.89 → '€66', headroom +€5.89 → '+€6'.
    alpha = next(r for r in rows if r[1] == "Alpha")
    assert alpha[2:4] == ["146.4", "133.3"]
    assert alpha[7] == "€66" and alpha[8].startswith("+€6")
    assert "€66" in html.split("Value-justified price", 1)[1]  # the headline figure
    # The head-to-head covers only the competitor Acme evaluates, with Acme's weights shown.
    assert "Alpha against Beta" in re.sub(r"</?bdi>", "", html) and "Alpha against Gamma" not in re.sub(r"</?bdi>", "", html)
    h2h = _rows(html, "dimension by dimension, with your weights")
    assert [r[:2] for r in h2h] == [["Ease of use", "25%"], ["Personal approach", "75%"]]


def test_a_secret_that_is_not_utf8_keys_the_addresses_by_its_bytes():
    """An environment variable that is not valid UTF-8 reaches Python with lone surrogates (surrogateescape);
    the build once stopped with an internal error encoding it. Its original bytes are the key."""
    import os

    secret = os.fsdecode(b"s\xff-secret")
    assert "\udcff" in secret
    token = prospect_token(secret, "acme")
    digest = hmac.new(b"s\xff-secret", b"acme", hashlib.sha256).digest()
    assert token == base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:TOKEN_LENGTH]
    assert token != prospect_token("s-secret", "acme")


def test_a_short_secret_is_a_warning_and_fails_the_gate(tree, cli, monkeypatch):
    canary_tree(tree)
    _, run = build(cli, tree, monkeypatch, "site", "s3cret")
    assert f"warning: {PROSPECT_SECRET_ENV} is 6 characters long" in run.out + run.err
    assert "(weak-prospect-secret)" in run.out + run.err
    strict = cli(tree.root, "check", "--strict")
    assert strict.code == 1 and "(weak-prospect-secret)" in strict.out + strict.err
    _, run = build(cli, tree, monkeypatch, "site", "x" * 16)  # 16 characters: long enough
    assert "weak-prospect-secret" not in run.out + run.err


def test_check_counts_its_warnings_in_its_summary(tree, cli, monkeypatch):
    canary_tree(tree)
    monkeypatch.setenv(PROSPECT_SECRET_ENV, "short")
    run = cli(tree.root, "check")
    assert run.code == 0
    summary = next(line for line in run.out.splitlines() if line.startswith("✓"))
    warnings = (run.out + run.err).count(": warning: ")
    assert warnings >= 1 and f"no errors, {warnings} warning{'s' * (warnings != 1)} (" in summary


def test_two_prospects_of_one_name_are_a_warning(tree, cli, monkeypatch):
    """The internal list of addresses could not tell them apart: one could be sent the other's page."""
    tree.write("prospects/acme.yaml", ACME)
    tree.write("prospects/acme-north.yaml", ACME.replace("OWN-NOTE-acme", "OWN-NOTE-north"))
    monkeypatch.setenv(PROSPECT_SECRET_ENV, SECRET)
    run = cli(tree.root, "check", "--format", "json")
    import json

    found = [(d["code"], d["file"], d["path"]) for d in json.loads(run.out)["diagnostics"]]
    assert ("duplicate-name", "content/prospects/acme-north.yaml", "name") in found, found
    assert cli(tree.root, "check", "--strict").code == 1


def test_weights_for_some_dimensions_only_say_the_shares_the_page_shows(tree, cli, monkeypatch):
    """`weights: {usability: 50}` meaning 50 %, over the segment's {usability: 3, service: 1}: the prospect's
    usability weighs 50 beside the other's 1 — 98 % of its page. Said, with the shares."""
    tree.write("prospects/acme.yaml", ACME.replace("weights: {usability: 1, service: 3}", "weights: {usability: 50}"))
    run = cli(tree.root, "check", "--format", "json")
    import json

    found = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "partial-weights"]
    assert len(found) == 1 and found[0]["file"] == "content/prospects/acme.yaml" and found[0]["path"] == "weights"
    assert found[0]["message"] == ("weights for 1 of 2 dimensions: Personal approach keeps the weight site.yaml gives "
                                   "it, and all are normalised together — the page shows Ease of use 98%, "
                                   "Personal approach 2%"), found[0]["message"]
    tree.write("prospects/acme.yaml", ACME)  # every weight given: nothing to say
    assert not [d for d in json.loads(cli(tree.root, "check", "--format", "json").out)["diagnostics"]
                if d["code"] == "partial-weights"]
