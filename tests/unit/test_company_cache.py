"""serve keeps validated company files between rebuilds (generator/company_cache.py): an unchanged file is
not parsed or validated again, a changed one is, and what a file said (its warnings) is said every time."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import check
from generator.company_cache import CompanyCache
from generator.diagnostics import ContentError, Diagnostics

from tests.unit.test_linear import write_market


def _check(content: Path, cache: CompanyCache):
    diagnostics = Diagnostics()
    return check(content, diagnostics, cache=cache), diagnostics


def test_unchanged_files_are_reused_and_a_changed_one_is_validated_again(tmp_path):
    content = write_market(tmp_path, 20, distinct=True)
    cache = CompanyCache()
    first, _ = _check(content, cache)
    assert (cache.hits, cache.misses) == (0, 20)
    second, _ = _check(content, cache)
    assert (cache.hits, cache.misses) == (20, 0)
    assert all(second.content.companies[s] is first.content.companies[s] for s in first.content.companies)

    path = content / "companies" / "c0007.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sells *widgets*", "sells *gadgets*"), encoding="utf-8")
    third, _ = _check(content, cache)
    assert (cache.hits, cache.misses) == (19, 1)
    assert "gadgets" in third.content.companies["c0007"].summary
    assert third.content.companies["c0006"] is first.content.companies["c0006"]
    # the scores are computed again from the models: the same as a build without a cache
    fresh, _ = _check(content, None)
    assert third.scores.overall.positions == fresh.scores.overall.positions


def test_a_change_to_site_yaml_validates_every_file_again(tmp_path):
    content = write_market(tmp_path, 6, distinct=False)
    cache = CompanyCache()
    _check(content, cache)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    _check(content, cache)
    assert (cache.hits, cache.misses) == (0, 6)


def test_a_reused_file_reports_its_warnings_again_and_a_gone_file_is_forgotten(tmp_path):
    content = write_market(tmp_path, 5, distinct=False)
    path = content / "companies" / "c0003.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a byte-order mark: a warning, not an error
    cache = CompanyCache()
    for _ in range(2):
        _, diagnostics = _check(content, cache)
        boms = [d for d in diagnostics.warnings if d.code == "encoding-bom"]
        assert len(boms) == 1 and boms[0].file.endswith("c0003.yaml")
    assert cache.hits == 5
    (content / "companies" / "c0004.yaml").unlink()
    checked, _ = _check(content, cache)
    assert "c0004" not in checked.content.companies
    assert (cache.hits, cache.misses) == (4, 0)


def test_a_file_with_errors_is_reported_every_time(tmp_path):
    content = write_market(tmp_path, 4, distinct=False)
    path = content / "companies" / "c0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("website:", "webstie:"), encoding="utf-8")
    cache = CompanyCache()
    for _ in range(2):
        diagnostics = Diagnostics()
        try:
            check(content, diagnostics, cache=cache)
        except Exception:
            pass
        errors = [d for d in diagnostics.errors if d.file and d.file.endswith("c0002.yaml")]
        assert errors and "webstie" in errors[0].message, diagnostics.items


def test_the_link_check_looks_again_at_an_edited_company_only_and_sees_its_new_link(tmp_path, monkeypatch):
    """Which of a company's texts may link to a page of the site is kept per unchanged model (serve: a price
    edit in a 1,000-company market re-read every text, 26 ms of its 80); an edited file is looked at again,
    and a dead link written into it is reported on that very rebuild."""
    from generator import link_texts

    content = write_market(tmp_path, 12, distinct=True)
    cache = CompanyCache()
    _check(content, cache)
    assert len(cache.link_texts) == 12 and not any(found for _, found in cache.link_texts.values())

    looked_at: list[str] = []
    real = link_texts.may_hold_link
    monkeypatch.setattr(link_texts, "may_hold_link", lambda text: looked_at.append(text) or real(text))
    path = content / "companies" / "c0005.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sells *widgets*", "sells [widgets](c0099.html)"),
                    encoding="utf-8")
    _, diagnostics = _check(content, cache)
    edited = cache.link_texts["c0005"]
    assert [field for _, field, _ in edited[1]] == [("summary",)]  # the new link was seen…
    assert any("c0099.html" in text for text in looked_at)
    assert not any("sells *widgets*" in text for text in looked_at)  # …and no unchanged company's text was read
    dead = [d for d in diagnostics.warnings if "c0099.html" in d.message]
    assert dead and dead[0].file.endswith("c0005.yaml"), diagnostics.items

    looked_at.clear()
    _, again = _check(content, cache)  # nothing changed: no company's text is read again, and the warning stays
    assert not any("sells" in text for text in looked_at) and any("c0099.html" in d.message for d in again.warnings), again.items

    path.unlink()  # a company gone: its answer goes with it
    _check(content, cache)
    assert "c0005" not in cache.link_texts and len(cache.link_texts) == 11


def test_a_reused_file_with_errors_still_says_its_tiers(tree):
    """A plan tier that only a file with errors uses is still a tier some company has: the price reference
    naming it is not reported as unknown when that file comes from the cache (validate.check_tiers)."""
    for slug in ("alpha", "beta"):
        tree.replace(f"companies/{slug}.yaml", "tier: standard", "tier: pro")
    tree.replace("companies/gamma.yaml", "name: Gamma", "name: Gamma\nwbsite: x")
    cache = CompanyCache()
    runs = []
    for _ in range(2):
        diagnostics = Diagnostics()
        with pytest.raises(ContentError):
            check(tree.content, diagnostics, cache=cache)
        runs.append(sorted((d.code, Path(d.file).name) for d in diagnostics.errors))
    assert cache.hits == 3
    assert runs[0] == runs[1]
    assert ("unknown-key", "gamma.yaml") in runs[0]
    assert not any(code == "unknown-tier" for code, _ in runs[0])
