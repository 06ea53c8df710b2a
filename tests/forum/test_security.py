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


ANONYMOUS_PAGES = ("account_login", "account_signup", "account_reset_password")
SIGNED_IN_PAGES = ("account_email", "account_change_password", "account_logout")


def test_pages_contain_no_inline_scripts(client, seeded_article, reader):
    urls = [reverse(name) for name in ANONYMOUS_PAGES]
    urls += [reverse("comments:profile", kwargs={"username": "reader"})]
    for signed_in in (False, True):
        if signed_in:
            client.force_login(reader)
            urls = [reverse(name) for name in SIGNED_IN_PAGES]
        for url in (reverse("articles:article-list"), seeded_article.get_absolute_url(), *urls):
            response = client.get(url)
            assert response.status_code == 200, url
            for chunk in response.content.decode().split("<script")[1:]:
                assert chunk.lstrip().startswith("src="), f"inline script on {url}"


def test_state_changes_need_post(reader_client, thread):
    root = thread["root"]
    for action in ("delete", "report"):
        url = reverse(f"comments:comment-{action}", kwargs={"pk": root.pk})
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
