# A moderator may undo an approval for a short time: the approval's log entry keeps
# why the comment had been held, and the undoing is logged as a kind of its own.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0012_report_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationaction",
            name="held_reason",
            field=models.CharField(
                blank=True,
                help_text=(
                    "On an approval: why the comment had been held, which undoing the "
                    "approval restores."
                ),
                max_length=500,
                verbose_name="held for",
            ),
        ),
        migrations.AlterField(
            model_name="moderationaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("approve", "Approved"),
                    ("hold", "Held for review"),
                    ("remove", "Removed"),
                    ("remove_subtree", "Removed with replies"),
                    ("remove_author", "Removed with all by its author"),
                    ("approve_subtree", "Approved with held replies"),
                    ("dismiss_reports", "Reports dismissed"),
                    ("restore", "Restored"),
                    ("ban", "Banned"),
                    ("unban", "Ban lifted"),
                    ("edit", "Edited by its author"),
                    ("undo_approve", "Approval undone: held again"),
                ],
                max_length=16,
                verbose_name="action",
            ),
        ),
    ]
