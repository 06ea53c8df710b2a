# A reader may withdraw their open report: it is kept as "withdrawn", and one report
# per reader per comment now means one that is not withdrawn.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0011_visit_following"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("resolved", "Resolved: the comment was removed"),
                    ("dismissed", "Dismissed: the comment was fine"),
                    ("withdrawn", "Withdrawn by the reporter"),
                ],
                default="open",
                max_length=16,
                verbose_name="state",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "withdrawn"), _negated=True),
                fields=("comment", "reporter"),
                name="one_standing_report_per_reader",
            ),
        ),
        migrations.RemoveConstraint(model_name="report", name="one_report_per_reader"),
    ]
