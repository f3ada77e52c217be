"""``--strict``: every warning is an error (CI's gate before publishing); without it, warnings don't fail."""
from __future__ import annotations


def test_check_strict_turns_a_warning_into_an_error(tree, cli):
    tree.write("companies/notes.txt", "not content\n")  # warning: ignored file
    assert cli(tree.root, "check").code == 0
    run = cli(tree.root, "check", "--strict")
    assert run.code == 1
    assert "content/companies/notes.txt: error: ignored: not a .yaml/.yml file (file-ignored)" in run.err
    assert "(an error under --strict)" in run.err


def test_build_strict_writes_nothing_on_a_warning(tree, cli):
    tree.write("companies/notes.txt", "not content\n")
    run = cli(tree.root, "build", "--strict")
    assert run.code == 1
    assert not (tree.root / "site").exists()
    assert cli(tree.root, "build").code == 0


def test_strict_duplicate_name_fails(tree, cli):
    tree.replace("companies/gamma.yaml", "name: Gamma", "name: BETA")  # equal to Beta after casefolding
    assert cli(tree.root, "check").code == 0
    run = cli(tree.root, "check", "--strict", "--format", "github")
    assert run.code == 1
    assert "::error file=content/companies/" in run.out and "title=duplicate-name" in run.out


def test_the_sample_passes_the_strict_gate(sample, cli):
    run = cli(sample.root, "check", "--strict")
    assert run.code == 0, run.err
