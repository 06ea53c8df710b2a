import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from comments.importing.seeds import SeedFormatError, import_seed, parse_seed
from comments.models import Comment
from tests.seed_data import EDGE_SEEDS, SEED, SEED_OUTLINE
from tests.trees import assert_valid_trees, outline


def write(tmp_path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_seed_imports_as_an_article_with_its_thirteen_comments_in_place(db):
    result = import_seed(SEED)

    article = result.article
    assert result.created and result.comment_count == 13
    assert article.title == (
        "Damascus, Baghdad Step Up Security Coordination Amid U.S. Forces Withdrawal From Syria"
    )
    assert article.dateline == "MAY 2021"
    assert article.published == dt.date(2021, 5, 1)
    assert article.caption == "Iraqi F-16, source: @iqAirForce"
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("Syria and Iraq have reached a new agreement")
    assert outline(article) == SEED_OUTLINE
    assert_valid_trees()


def test_the_seed_keeps_the_empty_comment_and_paragraphs_and_line_breaks(db):
    article = import_seed(SEED).article
    comments = list(Comment.objects.filter(article=article).order_by("tree_id", "lft"))

    assert comments[0].body == ""
    war_on_drugs = comments[9]
    assert war_on_drugs.body.split("\n\n") == [
        "Yes I know how Americans twist everything.\n"
        "The War on Drugs, was actually the war of drugs, the US increased global heroin and "
        "cocaine supplies, whilst pretending to be preventing drug use. Cocaine production has "
        "skyrocketed in Columbia since the US took over Columbian drug enforcement. And of course "
        "the heroin trade has also bloomed with American security patrols.",
        "The war on terror, was actually the war of terror.\n"
        "The US has created so many armies of terrorists, I can’t keep track of them all.",
        "But should we dispose of words simply because the Americans have perverted them?",
    ]
    assert comments[6].body == (
        "The Egyptians sell gas to Israel for less than it costs to produce.\n"
        "Apart from a couple of slip ups, the US has controlled every Egyptian Government since "
        "the British handed over control of Egypt to the US in 1971."
    )
    assert comments[12].body == "Iraqi F-16 will be sending its data to US bases…"


def test_importing_again_adds_nothing(db):
    import_seed(SEED)
    again = import_seed(SEED)

    assert not again.created
    assert Article.objects.count() == 1
    assert Comment.objects.count() == 13


def test_crlf_trailing_spaces_and_two_digit_sibling_numbers_are_accepted(db):
    article = import_seed(EDGE_SEEDS / "crlf_two_digit.txt").article

    assert article.title == "Eleven Readers Reply"
    assert article.dateline == "APRIL 2023"
    assert article.caption == "Photo by the desk, source: wire"
    assert article.body == "Short body."
    shape = outline(article)
    assert [a for level, a in shape if level == 0] == [f"Reader {n}" for n in range(1, 12)]
    assert [a for level, a in shape if level == 1] == [f"Replier {m}" for m in range(1, 11)]
    assert shape.index((1, "Replier 1")) == shape.index((0, "Reader 10")) + 1
    bodies = set(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert "Comment 11." in bodies and "Reply 10 to ten." in bodies
    assert not any("\r" in body or body != body.strip() for body in bodies)
    assert_valid_trees()


def test_any_utf8_names_are_kept_exactly_and_only_says_lines_at_a_header_indent_are_headers(db):
    article = import_seed(EDGE_SEEDS / "unicode_names.txt").article

    assert article.dateline == "" and article.published is None
    assert article.caption == ""
    assert article.body == (
        "Three weeks among the herders of the high pasture.\n\n"
        "The herders move at dawn.\nThey rest at noon."
    )
    assert outline(article) == [
        (0, "Zoë 🌍 (Ελλάδα"),
        (0, "李小龍"),
        (1, "محمد says"),
        (0, '<b>Bold</b> & "quoted"'),
    ]
    by_author = {c.author_name: c.body for c in Comment.objects.filter(article=article)}
    assert by_author["李小龍"] == (
        "Beautiful pictures.\n 1. Not a header: five spaces says:\n\n"
        "Second paragraph after a quoted line."
    )
    assert by_author["محمد says"] == (
        "Agreed — the light is lovely.\n\n2. Not a reply: text of محمد, still at its text indent."
    )


def test_a_document_without_comments_is_an_article_with_none(db):
    parsed = parse_seed("JANUARY 2020\n\nJust a title\n\nAnd a body.\n")
    assert (parsed.title, parsed.body, parsed.threads) == ("Just a title", "And a body.", [])


MALFORMED = {
    "two levels deeper": (
        "Title\n\nBody\n\n  1. A says:\n\n    text\n\n      1. B says:\n\n        hi\n",
        9,
        "comment header indented 6 spaces",
    ),
    "first comment is a reply": ("Title\n\nBody\n\n    1. A says:\n\n      text\n", 5, "top-level"),
    "numbering skips": (
        "Title\n\nBody\n\n  1. A says:\n\n    one\n\n  3. C says:\n\n    three\n",
        9,
        "numbered 3 where 2 comes next",
    ),
    "numbering does not restart": (
        "Title\n\nBody\n\n  1. A says:\n\n    one\n\n    2. B says:\n\n      two\n",
        9,
        "numbered 2 where 1 comes next",
    ),
    "text under-indented": (
        "Title\n\nBody\n\n  1. A says:\n\n    fine\n  not indented enough\n",
        8,
        "needs 4",
    ),
    "empty document": ("\n\n   \n", 1, "no title"),
    "dateline only": ("MAY 2021\n\n", 1, "no title"),
    "author missing": ("Title\n\nBody\n\n  1.   says:\n\n    x\n", 5, "no author"),
}


@pytest.mark.parametrize("text, line, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_document_is_refused_whole_naming_its_line(db, tmp_path, text, line, message):
    with pytest.raises(SeedFormatError) as refused:
        import_seed(write(tmp_path, text))

    assert refused.value.line == line
    assert message in refused.value.message
    assert Article.objects.count() == 0
    assert Comment.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused_with_its_line(db, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title\n\nBody\n\n  1. Jos\xe9 says:\n".encode("latin-1"))

    with pytest.raises(SeedFormatError) as refused:
        import_seed(path)

    assert refused.value.line == 5
    assert Article.objects.count() == 0


def test_load_seeds_reports_a_malformed_file_in_one_line_and_exits_non_zero(db, tmp_path, capsys):
    good = write(tmp_path, "Good one\n\nBody\n\n  1. A says:\n\n    hi\n", "good.txt")
    bad = write(tmp_path, MALFORMED["two levels deeper"][0], "bad.txt")

    with pytest.raises(CommandError) as failed:
        call_command("load_seeds", str(good), str(bad))

    out, err = capsys.readouterr()
    assert failed.value.returncode == 1
    assert err.strip().splitlines() == [
        f"{bad}:9: comment header indented 6 spaces; expected at most one level deeper than "
        "the comment on line 5 (up to 4 spaces); nothing imported"
    ]
    assert "Traceback" not in err
    assert "good.txt: imported “Good one” with 1 comments" in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Good one"]


def test_load_seeds_without_paths_imports_the_seeds_folder_once(db, capsys):
    call_command("load_seeds")
    call_command("load_seeds")

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("seeds/000_689926c6344c2fa1.txt: imported")
    assert out[1].startswith("seeds/000_689926c6344c2fa1.txt: already imported")
    assert Comment.objects.count() == 13


def test_a_large_document_imports_in_bulk_not_a_query_per_comment(
    db, tmp_path, django_assert_max_num_queries
):
    lines = ["Big thread", "", "Body", ""]
    for n in range(1, 201):
        lines += [f"  {n}. Root {n} says:", "", f"    root {n}", ""]
        for m in range(1, 6):
            lines += [f"    {m}. Reply {m} says:", "", f"      reply {m}", ""]
            lines += ["      1. Deeper says:", "", "        deeper", ""]
    path = write(tmp_path, "\n".join(lines))

    # Bulk inserts, batched by the database's parameter limit (about 30 rows a
    # batch on SQLite, all at once on PostgreSQL), and at most 20 queries more (the
    # article's row and lock, counts, versions: about 15 on PostgreSQL): far fewer
    # queries than comments.
    fields = Comment._meta.concrete_fields
    batch = connection.ops.bulk_batch_size(fields, [None] * 2200)
    with django_assert_max_num_queries(-(-2200 // batch) + 20):
        result = import_seed(path)

    assert result.comment_count == 200 * 11
    assert_valid_trees()


PHOTO_DOC = """MAY 2021

A title

Photo: https://example.org/f16.jpg | An F-16 of the Iraqi Air Force on a runway

Iraqi F-16, source: @iqAirForce

Body.

  1. Ana says:

    Hello.
"""


def test_a_photo_line_gives_the_article_its_photo_by_reference(db, tmp_path):
    article = import_seed(write(tmp_path, PHOTO_DOC)).article

    assert article.image_url == "https://example.org/f16.jpg"
    assert article.image_alt == "An F-16 of the Iraqi Air Force on a runway"
    assert article.caption == "Iraqi F-16, source: @iqAirForce"  # the caption stays a caption
    assert article.body == "Body." and not article.image


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Photo: https://example.org/f16.jpg", "needs its description"),
        ("Photo: javascript:alert(1) | x", "not an http or https one"),
        ("Photo: https://example.org/a.jpg | " + "x" * 301, "over 300 characters"),
    ],
)
def test_a_photo_line_without_what_it_needs_is_refused(db, tmp_path, line, message):
    text = PHOTO_DOC.replace(
        "Photo: https://example.org/f16.jpg | An F-16 of the Iraqi Air Force on a runway", line
    )

    with pytest.raises(SeedFormatError, match=message):
        import_seed(write(tmp_path, text))
    assert not Article.objects.exists()
