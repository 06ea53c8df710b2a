"""Look-alike usernames are refused at every door that creates an account."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.pages import page

PASSWORD = "correct-horse-battery"
CYRILLIC_ADMIN = "\u0430dmin"  # the first letter is CYRILLIC SMALL LETTER A


def sign_up(client, name: str):
    data = {"username": name, "email": "someone@example.com"}
    data |= {"password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data)


def add_in_the_admin(client, name: str):
    data = {"username": name, "password1": PASSWORD, "password2": PASSWORD}
    # The user admin's add page also carries the (empty) inline of bans.
    data |= {"usable_password": "true", "bans-TOTAL_FORMS": "0", "bans-INITIAL_FORMS": "0"}
    return client.post(reverse("admin:auth_user_add"), data)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_user("admin", password="a-long-passphrase-0")


def test_a_cyrillic_look_alike_of_an_existing_name_is_refused_at_sign_up(client, admin_user):
    response = sign_up(client, CYRILLIC_ADMIN)

    assert response.status_code == 200
    assert "mixes look-alike letters from different alphabets" in page(response).get_text()
    assert not get_user_model().objects.filter(username=CYRILLIC_ADMIN).exists()


def test_a_name_that_folds_to_an_existing_one_is_refused_at_sign_up(client, db):
    get_user_model().objects.create_user("strasse", password="a-long-passphrase-0")

    response = sign_up(client, "Straße")

    assert response.status_code == 200
    assert "A user with a name that looks the same already exists" in page(response).get_text()
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("name", ["Zoë", "Иван", "José_1", "admin2"])
def test_names_written_in_one_alphabet_are_accepted_at_sign_up(client, admin_user, name):
    response = sign_up(client, name)

    assert response.status_code == 302
    assert get_user_model().objects.filter(username=name).exists()


def test_a_cyrillic_look_alike_of_an_existing_name_is_refused_in_the_admin(
    moderator_client, admin_user
):
    response = add_in_the_admin(moderator_client, CYRILLIC_ADMIN)

    assert response.status_code == 200
    assert "mixes look-alike letters from different alphabets" in page(response).get_text()
    assert not get_user_model().objects.filter(username=CYRILLIC_ADMIN).exists()


def test_a_name_that_folds_to_an_existing_one_is_refused_in_the_admin(moderator_client, db):
    get_user_model().objects.create_user("strasse", password="a-long-passphrase-0")

    response = add_in_the_admin(moderator_client, "STRAßE")

    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="STRAßE").exists()


@pytest.mark.parametrize("name", ["Zoë", "Иван"])
def test_names_written_in_one_alphabet_are_accepted_in_the_admin(moderator_client, name):
    response = add_in_the_admin(moderator_client, name)

    assert response.status_code == 302
    assert get_user_model().objects.filter(username=name).exists()


ALICE_IN_CYRILLIC = "\u0430\u04cf\u0456\u0441\u0435"  # wholly Cyrillic (a, palochka, i, es, ie)
ALICE_IN_CHEROKEE = "\u13aa\u13de\u13c6\u13df\u13ac"  # wholly Cherokee (go, tle, qua, tli, gv)


@pytest.mark.parametrize(
    "name",
    [ALICE_IN_CYRILLIC, ALICE_IN_CHEROKEE, "AL1CE", "a1ice"],
    ids=["cyrillic", "cherokee", "digit one", "digit one, small"],
)
def test_a_name_wholly_in_another_script_that_reads_as_an_existing_one_is_refused(client, db, name):
    get_user_model().objects.create_user("alice", password="a-long-passphrase-0")

    response = sign_up(client, name)

    assert response.status_code == 200
    assert "A user with a name that looks the same already exists" in page(response).get_text()
    assert get_user_model().objects.count() == 1


def test_the_comparison_follows_renames(client, db):
    user = get_user_model().objects.create_user("alice", password="a-long-passphrase-0")
    user.username = "bob"
    user.save()

    assert sign_up(client, ALICE_IN_CYRILLIC).status_code == 302
    client.logout()
    assert sign_up(client, "B0B").status_code == 200


@pytest.mark.parametrize("name", ["someone@example.com", "ana@home"])
def test_a_username_that_is_an_email_address_is_refused(client, db, name):
    response = sign_up(client, name)

    assert response.status_code == 200
    assert "cannot contain @" in page(response).get_text()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", ["moderator", "Admin", "forum", "STAFF"])
def test_names_reserved_for_the_site_and_its_staff_are_refused_at_sign_up(client, db, name):
    response = sign_up(client, name)

    assert response.status_code == 200
    assert "moderators or staff" in page(response).get_text()
    assert not get_user_model().objects.exists()
