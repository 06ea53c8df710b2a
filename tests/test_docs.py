"""The documents cannot drift from the code: every module, name, setting, command and
`make` target that README.md and docs/ name exists, every link between them leads
somewhere, and the README stays a short front page."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
APPS = ("forum", "accounts", "articles", "comments", "notifications", "search")
# Where environment variables the settings do not keep by their own name are read.
READ_FROM_ENVIRONMENT = [ROOT / "forum" / "settings.py", ROOT / "gunicorn.conf.py"]
VARIABLE_PREFIXES = ("FORUM_", "DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_", "EMAIL_")

CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
MAKE = re.compile(r"\bmake ([a-z][a-z-]*)")
MANAGE = re.compile(r"manage\.py ([a-z_]+)")


def names_in(document: Path) -> list[str]:
    return CODE.findall(document.read_text())


def all_names() -> list[tuple[str, str]]:
    return [(doc.name, name) for doc in DOCUMENTS for name in names_in(doc)]


def resolves(dotted: str) -> bool:
    """Whether `dotted` is a module, or a name in one (a class, a function, a constant)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_the_readme_is_a_short_front_page():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_link_between_the_documents_leads_to_a_file(document):
    for target in LINK.findall(document.read_text()):
        if "://" in target:
            continue
        assert (document.parent / target).exists(), f"{document.name} links to {target}"


def test_every_path_the_documents_name_exists():
    for document, name in all_names():
        path = (name.split() or [""])[0].rstrip(",.:;")
        if path.startswith("/") or "://" in path or "/" not in path or "*" in path:
            continue  # a URL of the site, or not a path
        if not re.fullmatch(r"[\w./-]+", path) or "<" in path:
            continue
        top = path.split("/")[0]
        if top not in {
            *APPS,
            "templates",
            "static",
            "tests",
            "docs",
            "benchmarks",
            "scripts",
            "seeds",
            ".ci",
        }:
            continue
        assert (ROOT / path).exists(), f"{document} names {path}, which does not exist"


def test_every_module_and_name_the_documents_name_exists():
    for document, name in all_names():
        dotted = name.split("(")[0].rstrip(",.:;")
        if not re.fullmatch(r"[a-z_]+(\.\w+)+", dotted) or dotted.split(".")[0] not in APPS:
            continue
        if dotted.endswith((".py", ".md", ".html", ".txt", ".json", ".xml")):
            continue
        assert resolves(dotted), f"{document} names {dotted}, which does not exist"


def test_every_setting_and_variable_the_documents_name_exists():
    read_in = "\n".join(path.read_text() for path in READ_FROM_ENVIRONMENT)
    for document, name in all_names():
        words = name.split("=")[0].split()
        variable = words[0].rstrip(",.:;") if words else ""
        if not re.fullmatch(r"[A-Z][A-Z0-9_]+", variable) or not variable.startswith(
            VARIABLE_PREFIXES
        ):
            continue
        assert hasattr(settings, variable) or f'"{variable}"' in read_in, (
            f"{document} names {variable}, which no setting or variable is"
        )


def code_in(document: Path) -> str:
    """The document's code: spans in backticks and fenced blocks."""
    text = document.read_text()
    return "\n".join([*CODE.findall(text), *re.findall(r"```\w*\n(.*?)```", text, re.S)])


def test_every_make_target_and_command_the_documents_name_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    commands = set(get_commands())
    for document in DOCUMENTS:
        text = code_in(document)
        for target in MAKE.findall(text):
            assert target in targets, f"{document.name} names `make {target}`"
        for command in MANAGE.findall(text):
            assert command in commands, f"{document.name} names `manage.py {command}`"
