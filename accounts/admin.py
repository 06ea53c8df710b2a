"""The admin's door for new accounts, under the site's username rule.

The user admin belongs to comments (comments/admin/users.py, ForumUserAdmin); this
module only gives whatever ModelAdmin is registered for the user model the add-user
form that applies accounts.usernames, so an account made in the admin obeys the
same rule as one made at sign-up. AccountsConfig.ready() calls it: by then the
admin (first in INSTALLED_APPS) has autodiscovered and registered every ModelAdmin.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth import get_user_model

from .forms import AdminAddUserForm


def use_the_username_rule_in_the_user_admin(*, site: admin.AdminSite = admin.site) -> None:
    """Make `site`'s user admin create accounts through AdminAddUserForm."""
    try:
        user_admin = site.get_model_admin(get_user_model())
    except NotRegistered:
        return  # no user admin, no door to guard
    user_admin.add_form = AdminAddUserForm
