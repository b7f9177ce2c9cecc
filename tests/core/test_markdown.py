from mapertunity.core.markdown import render_markdown


def test_markdown_renders_lists_and_emphasis() -> None:
    html = render_markdown("Intro\n\n- one\n- **two**")
    assert "<li><strong>two</strong></li>" in html


def test_a_top_level_heading_becomes_h2_because_the_page_owns_h1() -> None:
    assert render_markdown("# Title") == "<h2>Title</h2>"


def test_links_get_nofollow_and_unsafe_schemes_are_dropped() -> None:
    html = render_markdown(
        "[a](https://x.example.com) [b](javascript:alert(1)) [c](data:text/html,x)"
    )
    assert 'rel="nofollow noopener ugc"' in html
    assert "javascript:" not in html and "data:" not in html
