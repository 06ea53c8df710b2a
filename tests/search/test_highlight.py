"""Snippets are escaped text with <mark> around the words found, and nothing else."""

from search.highlight import START, STOP, around_first_match, from_headline, whole, words_of


def test_a_headline_becomes_escaped_text_with_its_matches_marked():
    headline = f"<script>x</script> & {START}walrus{STOP} <b>{START}tusks{STOP}</b>"

    assert from_headline(headline) == (
        "&lt;script&gt;x&lt;/script&gt; &amp; <mark>walrus</mark> "
        "&lt;b&gt;<mark>tusks</mark>&lt;/b&gt;"
    )


def test_stray_markers_typed_by_a_reader_mark_nothing_and_vanish():
    assert from_headline(f"a{STOP}b {START}c") == "ab c"
    assert from_headline(f"{START}{START}x{STOP}{STOP}") == "<mark>x</mark>"


def test_the_fallback_cuts_around_the_first_match_and_marks_every_occurrence():
    text = "filler " * 60 + "The <Walrus> & the walrus. " + "tail " * 60

    snippet = around_first_match(text, words_of("walrus"))

    assert snippet.startswith("…")
    assert "&lt;<mark>Walrus</mark>&gt; &amp; the <mark>walrus</mark>." in snippet
    assert len(snippet) < 320


def test_a_title_is_kept_whole_with_its_words_marked():
    assert whole("Fish & Chips", words_of("chips fish")) == (
        "<mark>Fish</mark> &amp; <mark>Chips</mark>"
    )


def test_a_long_title_is_never_cut():
    title = "Damascus, Baghdad Step Up Security Coordination Amid U.S. Forces Withdrawal From Syria"

    assert whole(title, ["syria"]) == title.replace("Syria", "<mark>Syria</mark>")
