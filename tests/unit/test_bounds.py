"""Number bounds (docs/security.md, "Number bounds"): every number at a bound builds and scores to finite
numbers; every number just past a bound is a content error (exit 1) naming the file, line, field and the
bound — never an internal error (exit 3), never a traceback. Plus the other faults of the second reliability
round that are not about names: tags on keys, quoted dates, a content "folder" that is a file.

Lines and columns are computed from the text the test wrote."""
from __future__ import annotations

import json
import math
import re

import pytest

BETA = "content/companies/beta.yaml"
SITE = "content/site.yaml"
EASE = "    label: Ease of use\n    weight: 0.5\n"
PERSONAL = "    label: Personal approach\n    weight: 0.5\n"
SETUP = "{id: setup, label: Setup, weight: 1}"
DAILY = "{id: daily-use, label: Daily use, weight: 3}"
SEGMENT_WEIGHTS = "weights: {usability: 3, service: 1}"
NUMERIC = ("relative_quality", "relative_price", "price", "justified_price", "headroom", "customer_value",
           "perpendicular_distance", "price_average", "line_price")


def locate(text: str, needle: str, column_of: str | None = None) -> tuple[int, int]:
    hits = [(i + 1, line) for i, line in enumerate(text.splitlines()) if needle in line]
    assert hits, f"{needle!r} not found"
    number, line = hits[0]
    return number, line.index(column_of or needle) + 1


def diagnostics_of(run) -> list[dict]:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    assert "internal error" not in run.err, run.err
    return json.loads(run.out)["diagnostics"] if run.out.strip() else []


def edit(tree, rel: str, *pairs: tuple[str, str]) -> None:
    for old, new in pairs:
        tree.replace(rel, old, new)


def fails(tree, cli, code: str, path: str | None, file: str, at: str | None, message: str = "",
          column_of: str | None = None, command: str = "check") -> dict:
    """``command`` exits 1 with a ``code`` error at ``path`` on the line of ``at`` (and its column)."""
    run = cli(tree.root, command, "--format", "json")
    assert run.code == 1, (run.code, run.out, run.err)
    diags = diagnostics_of(run)
    found = [d for d in diags if d["code"] == code and d["path"] == path]
    assert found, json.dumps(diags, indent=1)
    d = found[0]
    assert d["severity"] == "error" and d["file"] == file, d
    if at is not None:
        line, column = locate((tree.root / file).read_text(encoding="utf-8"), at, column_of)
        assert (d["line"], d["column"]) == (line, column), d
    assert re.search(message, d["message"]), d
    text = cli(tree.root, command)
    assert text.code == 1 and "Traceback" not in text.err and "internal error" not in text.err, text.err
    return d


def finite_export(tree, cli) -> dict:
    """Build (exit 0), then export: every number in the export is finite, every placed company has them all."""
    built = cli(tree.root, "build")
    assert built.code == 0, built.err
    out = tree.root / "export.json"
    run = cli(tree.root, "export", "--output", str(out))
    assert run.code == 0, run.err
    data = json.loads(out.read_bytes())
    out.unlink()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, float):
            assert math.isfinite(node), node

    walk(data)
    for scenario in data["scenarios"]:
        assert scenario["companies"], scenario
        for company in scenario["companies"]:
            for key in NUMERIC:
                if key in company:
                    assert isinstance(company[key], (int, float)) and math.isfinite(company[key]), (key, company)
    return data


# --- each bound: at it builds with finite numbers, past it is an error naming the field ---------------

BOUNDS = [
    # id, file, edits at the bound, edits just past it, field path, code, message
    ("price-max", "companies/beta.yaml", [("price: 40", "price: 1000000000")],
     [("price: 40", "price: 1000000001")], "prices[0].price", "number-too-large",
     r"^1000000001 is too large for a price \(at most 1,000,000,000\)$"),
    ("price-min", "companies/beta.yaml", [("price: 40", "price: 0.01")],
     [("price: 40", "price: 0.0099")], "prices[0].price", "number-too-small",
     r"^0.0099 is too small for a price \(0, or at least 0.01\)$"),
    ("price-negative", "companies/beta.yaml", [("price: 40", "price: 0")],
     [("price: 40", "price: -0.01")], "prices[0].price", "number-too-small", r"too small for a price"),
    ("dimension-weight-max", "site.yaml",
     [(EASE, EASE.replace("0.5", "1000000")), (PERSONAL, PERSONAL.replace("0.5", "1"))],
     [(EASE, EASE.replace("0.5", "1000000.5")), (PERSONAL, PERSONAL.replace("0.5", "1"))],
     "dimensions[0].weight", "number-too-large", r"^1000000.5 is too large for a weight \(at most 1,000,000\)$"),
    ("dimension-weight-min", "site.yaml",
     [(EASE, EASE.replace("0.5", "0.000001")), (PERSONAL, PERSONAL.replace("0.5", "1"))],
     [(EASE, EASE.replace("0.5", "0.0000009")), (PERSONAL, PERSONAL.replace("0.5", "1"))],
     "dimensions[0].weight", "number-too-small", r"^9e-07 is too small for a weight \(at least 0.000001\)$"),
    ("dimension-weight-ratio", "site.yaml",
     [(EASE, EASE.replace("0.5", "0.000001")), (PERSONAL, PERSONAL.replace("0.5", "1"))],
     [(EASE, EASE.replace("0.5", "0.000001")), (PERSONAL, PERSONAL.replace("0.5", "1.01"))],
     "dimensions[0].weight", "weights-too-uneven", r"'usability' weighs 1e-06, 'service' 1.01 .*1,000,000"),
    ("criterion-weight-ratio", "site.yaml",
     [(SETUP, SETUP.replace("1}", "0.000001}")), (DAILY, DAILY.replace("3}", "1}"))],
     [(SETUP, SETUP.replace("1}", "0.000001}")), (DAILY, DAILY.replace("3}", "1.5}"))],
     "dimensions[0].criteria[0].weight", "weights-too-uneven", r"criterion .*'setup'"),
    ("segment-weight-ratio", "site.yaml",
     [(SEGMENT_WEIGHTS, "weights: {usability: 500000}")],
     [(SEGMENT_WEIGHTS, "weights: {usability: 500001}")],
     "segments[0].weights.usability", "weights-too-uneven", r"segment 'small'"),
    ("source-weight-max", "site.yaml", [("independent: false, weight: 0.5}", "independent: false, weight: 1000000}")],
     [("independent: false, weight: 0.5}", "independent: false, weight: 1e7}")],
     "source_kinds[1].weight", "number-too-large", r"^10000000 is too large for a source weight"),
    ("slope-max", "site.yaml", [("us: alpha\n", "us: alpha\nmethod: {fair_value_line: slope, slope: 100}\n")],
     [("us: alpha\n", "us: alpha\nmethod: {fair_value_line: slope, slope: 100.5}\n")],
     "method.slope", "number-too-large", r"^100.5 is too large for a slope \(at most 100\)$"),
    ("band-max", "site.yaml", [("us: alpha\n", "us: alpha\nmethod: {fair_value_band: 1000}\n")],
     [("us: alpha\n", "us: alpha\nmethod: {fair_value_band: 1000.5}\n")],
     "method.fair_value_band", "number-too-large", r"^1000.5 is too large for a fair-value band \(at most 1,000\)$"),
    ("scale-max", "site.yaml", [("us: alpha\n", "us: alpha\nscale: {min: 0, max: 1000000}\n")],
     [("us: alpha\n", "us: alpha\nscale: {min: 0, max: 1000001}\n")],
     "scale.max", "number-too-large", r"^1000001 is too large for a scale end \(at most 1,000,000 either side of 0\)$"),
    ("seats-max", "site.yaml", [("seats: 10}", "seats: 1000000}")], [("seats: 10}", "seats: 1000001}")],
     "price_reference.seats", "number-too-large", r"^1000001 is too large for a seat count \(at most 1,000,000\)$"),
    ("score-min", "companies/beta.yaml", [("  service: 5", "  service: 0.000001")],
     [("  service: 5", "  service: 1e-7")], "scores.service", "number-too-small",
     r"^1e-07 is too small for a score \(0, or at least 0.000001 either side of 0\)$"),
    ("score-max", "companies/beta.yaml", [("  service: 5", "  service: 10")],
     [("  service: 5", "  service: 1.7e308")], "scores.service", "number-too-large",
     r"^1.7e\+308 is too large for a score \(at most 1,000,000 either side of 0\)$"),
]


@pytest.mark.parametrize("case", BOUNDS, ids=[c[0] for c in BOUNDS])
def test_number_at_the_bound_builds_with_finite_numbers(tree, cli, case):
    _, rel, at, _, _, _, _ = case
    edit(tree, rel, *at)
    finite_export(tree, cli)


@pytest.mark.parametrize("case", BOUNDS, ids=[c[0] for c in BOUNDS])
def test_number_past_the_bound_is_an_error_naming_the_field(tree, cli, case):
    _, rel, _, past, path, code, message = case
    edit(tree, rel, *past)
    key = path.split(".")[-1].split("[")[0]
    fails(tree, cli, code, path, f"content/{rel}", None, message)
    d = fails(tree, cli, code, path, f"content/{rel}", None, message, command="build")
    text = (tree.root / "content" / rel).read_text(encoding="utf-8")
    assert key in text.splitlines()[d["line"] - 1], d  # the line of the field
    assert not (tree.root / "site").exists()


@pytest.mark.parametrize("price, message", [
    ("1.7e308", r"^1.7e\+308 is too large for a price \(at most 1,000,000,000\)$"),
    ("1e-320", r"^1e-320 is too small for a price \(0, or at least 0.01\)$"),
    ("100000000000000000000000000000", r"^1e\+29 is too large for a price"),  # 30 digits: read, then refused
], ids=["1.7e308", "1e-320", "30-digits"])
def test_hostile_prices_are_errors_not_crashes(tree, cli, price, message):
    tree.replace("companies/beta.yaml", "price: 40", f"price: {price}")
    code = "number-too-small" if "small" in message else "number-too-large"
    fails(tree, cli, code, "prices[0].price", BETA, price, message, command="build")


def test_weights_of_1e308_are_errors_not_zero_percent(tree, cli):
    edit(tree, "site.yaml", (EASE, EASE.replace("0.5", "1e308")), (PERSONAL, PERSONAL.replace("0.5", "1e308")))
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    assert {(d["code"], d["path"]) for d in diags} == {("number-too-large", "dimensions[0].weight"),
                                                       ("number-too-large", "dimensions[1].weight")}, diags


@pytest.mark.parametrize("digits", [31, 400, 5000])
def test_integer_with_too_many_digits_is_refused_by_the_reader(tree, cli, digits):
    number = "9" * digits
    tree.replace("companies/beta.yaml", "price: 40", f"price: {number}")
    d = fails(tree, cli, "number-too-large", None, BETA, number[:20], r"^number too large: ", command="build")
    assert f"({digits:,} digits)" in d["message"] and "at most 30 digits" in d["message"]
    assert "expected a number" not in d["message"]
    assert "Number bounds" in d["hint"]


@pytest.mark.parametrize("written, code", [
    ("1e400", "number-too-large"), ("-1e400", "number-too-large"), ("0x" + "f" * 40, "number-too-large"),
    ("1e-400", "number-too-small"),
])
def test_float_literal_beyond_a_double_is_refused(tree, cli, written, code):
    tree.replace("companies/beta.yaml", "  service: 5", f"  service: {written}")
    fails(tree, cli, code, None, BETA, written, "too (large|close to 0)")


def test_padded_zeros_do_not_crash_the_octal_check(tree, cli):
    token = "0" * 5000 + "7"
    tree.replace("companies/beta.yaml", "  service: 5", f"  service: {token}")
    d = fails(tree, cli, "yaml-ambiguous-number", None, BETA, token[:30], r"ambiguous")
    assert len(d["message"]) < 200


def test_every_bound_at_once_scores_to_finite_numbers(tree, cli):
    """The extremes together (export: the scoring, without the pages)."""
    edit(tree, "site.yaml", (EASE, EASE.replace("0.5", "1000000")), (PERSONAL, PERSONAL.replace("0.5", "1")),
         (SETUP, SETUP.replace("1}", "0.000001}")), (DAILY, DAILY.replace("3}", "1}")),
         ("us: alpha\n", "us: alpha\nscale: {min: 0, max: 1000000}\n"
                         "method: {fair_value_line: regression, fair_value_band: 1000}\n"),
         ("independent: false, weight: 0.5}", "independent: false, weight: 1000000}"))
    edit(tree, "companies/alpha.yaml", ("price: 60", "price: 1000000000"), ("setup: 8", "setup: 1000000"),
         ("daily-use: 8", "daily-use: 0.000001"))
    edit(tree, "companies/beta.yaml", ("price: 40", "price: 0.01"), ("setup: 6", "setup: 0.000001"),
         ("  service: 5", "  service: 1000000"))
    edit(tree, "companies/gamma.yaml", ("price: 50", "price: 0"), ("  service: 7", "  service: 0.000001"))
    for line in ("regression", "slope"):
        if line == "slope":
            tree.replace("site.yaml", "fair_value_line: regression", "fair_value_line: slope, slope: 100")
        out = tree.root / "export.json"
        run = cli(tree.root, "export", "--output", str(out))
        assert run.code == 0, run.err
        data = json.loads(out.read_bytes())
        for scenario in data["scenarios"]:
            for company in scenario["companies"]:
                for key in NUMERIC:
                    if key in company:
                        assert isinstance(company[key], (int, float)) and math.isfinite(company[key]), (key, company)


# --- other faults of the round: tags on keys, quoted dates, a content folder that is a file ------------

@pytest.mark.parametrize("tagged, needle", [
    ("!!python/name:os.system name: x\n", "!!python"),
    ("name: Beta\nprices:\n  - !foo plan: Basic\n", "!foo"),
    ("name: Beta\n? !!binary aGVsbG8=\n: 1\n", "!!binary"),
], ids=["python-name", "local-tag", "binary"])
def test_a_tag_on_a_key_is_refused(tree, cli, tagged, needle):
    tree.write_bytes("companies/beta.yaml", (tagged + "\n").encode())
    d = fails(tree, cli, "yaml-unsupported-tag", None, BETA, needle, r"tag", command="build")
    assert d["hint"]


def test_quoted_iso_date_is_a_date(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta\n", 'name: Beta\nas_of: "2024-11-03"\n')
    tree.replace("companies/beta.yaml", "seats: {min: 1}}", "seats: {min: 1}, as_of: '2024-01-02'}")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0, (run.out, run.err)
    assert not [d for d in diagnostics_of(run) if d["severity"] == "error"]


def test_quoted_date_agrees_with_the_json_schema(tree, cli):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from generator.schema import json_schemas

    tree.replace("companies/beta.yaml", "name: Beta\n", 'name: Beta\nas_of: "2024-11-03"\n')
    data = yaml.safe_load(tree.read("companies/beta.yaml"))
    assert data["as_of"] == "2024-11-03"
    jsonschema.validate(data, json_schemas()["company"])  # the schema accepts the quoted form...
    assert cli(tree.root, "check").code == 0  # ...and so does the check


@pytest.mark.parametrize("written, code, message", [
    ('"Nov 3, 2026"', "wrong-type", r"^expected a date \(YYYY-MM-DD\), got the text 'Nov 3, 2026'$"),
    ('"2024-02-30"', "invalid-date", r"^'2024-02-30' is not a real date$"),
], ids=["text", "impossible"])
def test_quoted_text_that_is_not_a_date_says_how_dates_are_written(tree, cli, written, code, message):
    tree.replace("companies/beta.yaml", "name: Beta\n", f"name: Beta\nas_of: {written}\n")
    d = fails(tree, cli, code, "as_of", BETA, written, message)
    assert "YYYY-MM-DD" in d["hint"] and "2026-11-03" in d["hint"]


def test_content_option_naming_a_file_says_it_is_a_file(tree, cli):
    run = cli(tree.root, "check", "--content", "content/site.yaml", "--format", "json")
    assert run.code == 1, (run.out, run.err)
    diags = diagnostics_of(run)
    assert [d["code"] for d in diags] == ["content-not-a-folder"], diags
    assert "is a file" in diags[0]["message"] and "does not exist" not in diags[0]["message"]
    assert "site.yaml" in diags[0]["hint"] and "--content content" in diags[0]["hint"]
    text = cli(tree.root, "build", "--content", "content/site.yaml")
    assert text.code == 1 and "Traceback" not in text.err and "is a file" in text.err


RATED = ("prices:\n  - plan: Basic\n    tier: standard\n    seats: {min: 1}\n    observations:\n"
         "      - {price: 0.01, currency: ABC, billing: monthly, source: mystery-shopper, date: 2026-10-01}\n")


def _rated(tree, rate: str, factor: str) -> None:
    """Beta's price 0.01 in a currency of rate ``rate``, billed monthly and compared annually by ``factor``."""
    tree.replace("companies/beta.yaml", "prices:\n  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 RATED)
    site = tree.read("site.yaml")
    tree.write("site.yaml", site + f"currencies: {{as_of: 2026-10-01, rates: {{ABC: {rate}}}}}\n"
               f"prices: {{monthly_to_annual: {factor}}}\n")


def test_an_exchange_rate_and_a_billing_factor_at_their_bounds_build_finite_numbers(tree, cli):
    """The smallest rate and factor allowed, on the smallest price: every number stays finite."""
    _rated(tree, "0.000000001", "0.01")
    finite_export(tree, cli)


@pytest.mark.parametrize("rate, factor, path, message", [
    ("1e-318", "1", "currencies.rates.ABC",
     r"^1e-318 is too small for an exchange rate \(at least 0.000000001\)$"),
    ("1", "1e-307", "prices.monthly_to_annual", r"^1e-307 is too small for a billing factor \(at least 0.01\)$"),
    ("1e10", "1", "currencies.rates.ABC", r"too large for an exchange rate \(at most 1,000,000,000\)$"),
], ids=["rate", "factor", "rate-max"])
def test_a_vanishing_rate_or_billing_factor_is_an_error_not_an_internal_one(tree, cli, rate, factor, path, message):
    """1e-318 once passed check --strict and made every build stop with an internal error (an infinite price)."""
    _rated(tree, rate, factor)
    fails(tree, cli, "number-too-small" if "small" in message else "number-too-large", path, "content/site.yaml",
          None, message)
    fails(tree, cli, "number-too-small" if "small" in message else "number-too-large", path, "content/site.yaml",
          None, message, command="build")


def test_a_rate_for_the_sites_own_currency_is_an_error_unless_it_is_1(tree, cli):
    """``rates: {EUR: 2}`` on a EUR site was silently ignored: an author who meant it got no sign it did nothing."""
    site = tree.read("site.yaml")
    tree.write("site.yaml", site + "currencies:\n  as_of: 2026-10-01\n  rates: {USD: 0.9, EUR: 2}\n")
    d = fails(tree, cli, "own-currency-rate", "currencies.rates.EUR", "content/site.yaml", "EUR: 2",
              r"^a rate of 2 for EUR, the site's own currency: its prices are never converted", column_of="2")
    assert "remove it" in d["hint"]
    tree.write("site.yaml", site + "currencies:\n  as_of: 2026-10-01\n  rates: {USD: 0.9, EUR: 1}\n")
    run = cli(tree.root, "check")  # a rate of 1 says what is done anyway
    assert run.code == 0 and "own-currency-rate" not in run.err, run.err
