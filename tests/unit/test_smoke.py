def test_minimal_tree_builds(tree, cli):
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    assert (tree.root / "site" / "index.html").is_file()


def test_sample_builds(sample, cli):
    run = cli(sample.root, "build")
    assert run.code == 0, run.err
