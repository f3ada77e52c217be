"""serve keeps validated company files between rebuilds (generator/company_cache.py): an unchanged file is
not parsed or validated again, a changed one is, and what a file said (its warnings) is said every time."""
from __future__ import annotations

from pathlib import Path

from generator.build import check
from generator.company_cache import CompanyCache
from generator.diagnostics import Diagnostics

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
