import pytest


@pytest.fixture
def guests_held(settings):
    """FORUM_GUEST_COMMENTS=held: readers without an account may comment, each comment
    held for a moderator."""
    settings.FORUM_GUEST_COMMENTS = "held"
    return settings
