import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse


def test_pages_send_a_strict_content_security_policy_and_other_headers(client, article):
    response = client.get(article.get_absolute_url())

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy.get("script-src", "") + policy["default-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_scripts(client, seeded_article, reader):
    client.force_login(reader)
    home, signup = reverse("articles:article-list"), reverse("accounts:signup")
    for url in (home, seeded_article.get_absolute_url(), signup):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"


def test_state_changes_need_post(reader_client, thread):
    root = thread["root"]
    for action in ("delete", "report"):
        url = reverse(
            f"comments:comment-{action}", kwargs={"slug": root.article.slug, "pk": root.pk}
        )
        assert reader_client.get(url).status_code == 200  # a confirmation or a form
    root.refresh_from_db()
    assert root.status == "published"


def test_the_deployment_checks_pass_in_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY="a-real-secret-" + "x9Kq2" * 12,
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
