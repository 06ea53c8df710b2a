# A unique key for every reader's email links (notifications.links). Added empty,
# filled row by row (a single default would give every existing row the same key),
# then made unique and required, as Django's "Migrations that add unique fields" does.

import secrets

from django.db import migrations, models

import notifications.models


def give_each_reader_a_key(apps, schema_editor):
    Preferences = apps.get_model("notifications", "Preferences")
    for preferences in Preferences.objects.filter(link_key__isnull=True).only("pk").iterator():
        preferences.link_key = secrets.token_urlsafe(16)
        preferences.save(update_fields=["link_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_report_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="preferences",
            name="link_key",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(give_each_reader_a_key, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="preferences",
            name="link_key",
            field=models.CharField(
                default=notifications.models.new_link_key,
                editable=False,
                help_text="Names the reader in the links of their notification email; a new key retires every link mailed before it.",
                max_length=32,
                unique=True,
                verbose_name="email link key",
            ),
        ),
    ]
