"""HTML safety: autoescaped fields, sanitised Markdown, refused link schemes, content in any script."""
from __future__ import annotations

from generator.text import inline_markdown, markdown

HOSTILE_MD = """\
Hello <script>alert(1)</script> world <img src=x onerror="alert(2)">

[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com/x)

<a href="https://evil.example" onclick="steal()" target="_blank">raw link</a>
<iframe src="https://evil.example"></iframe><style>body{display:none}</style>
"""


def test_markdown_is_sanitised():
    html = str(markdown(HOSTILE_MD))
    for bad in ("<script", "alert(1)", "onerror", "javascript:", "data:text", "onclick", "<iframe", "<style",
                "<img"):
        assert bad not in html, bad
    assert 'href="https://example.com/x"' in html
    assert html.count("<a ") == 4 == html.count('rel="noopener noreferrer"')  # refused links lose their href
    assert "Hello" in html and "world" in html


def test_markdown_keeps_formatting_and_shifts_headings():
    html = str(markdown("# Title\n\n**bold** and *it*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
    assert "<h2>Title</h2>" in html and "<h1" not in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<table>" in html


def test_inline_markdown_has_no_paragraph():
    assert str(inline_markdown("*fast* setup")) == "<em>fast</em> setup"


def test_hostile_text_in_yaml_is_escaped_everywhere(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", 'name: "Beta <script>alert(1)</script>"')
    tree.replace("companies/beta.yaml", 'strengths: ["Fast"]', 'strengths: ["<img src=x onerror=alert(1)>"]')
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."',
                 'summary: "[x](javascript:alert(1)) <b onmouseover=alert(1)>hi</b>"')
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    for page in (tree.root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "onerror=alert" not in text and "onmouseover" not in text, page
        assert "javascript:" not in text, page
    beta = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "Beta &lt;script&gt;alert(1)&lt;/script&gt;" in beta


def test_external_links_are_noopener(tree, cli):
    assert cli(tree.root, "build").code == 0
    beta = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert '<a href="https://beta.example" rel="noopener noreferrer">' in beta


def test_content_in_any_script_renders(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", "name: ベータ株式会社")
    tree.replace("companies/gamma.yaml", "name: Gamma", "name: Гамма Сервис")
    tree.replace("companies/alpha.yaml", 'strengths: ["Fast"]', 'strengths: ["Kiire ja sõbralik teenindus"]')
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    home = (tree.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "ベータ株式会社" in home and "Гамма Сервис" in home
    assert '<meta charset="utf-8">' in home
    alpha_strength = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "ベータ株式会社" in alpha_strength
