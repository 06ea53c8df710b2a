# Following a discussion: a notification of kind "followed" gathers the new comments it
# tells of (FollowedComment), counts in the one-notification-per-comment rule, and a
# sender takes notifications for mail ("sending") before it reads them.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0011_visit_following"),
        ("notifications", "0003_preferences_link_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reply", "replied to you"),
                    ("mention", "mentioned you"),
                    ("report_acted", "acted on your report"),
                    ("followed", "new comments in a discussion you follow"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="email_state",
            field=models.CharField(
                choices=[
                    ("none", "not mailed"),
                    ("pending", "waiting to be sent"),
                    ("digest", "waiting for the daily digest"),
                    ("sending", "being sent"),
                    ("sent", "sent"),
                    ("failed", "could not be sent"),
                ],
                default="none",
                max_length=16,
                verbose_name="email",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="notification",
            name="one_notification_per_comment",
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ["reply", "mention", "followed"])),
                fields=("recipient", "comment"),
                name="one_notification_per_comment",
            ),
        ),
        migrations.CreateModel(
            name="FollowedComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "comment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="comments.comment",
                        verbose_name="comment",
                    ),
                ),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followed_comments",
                        to="notifications.notification",
                        verbose_name="notification",
                    ),
                ),
            ],
            options={
                "verbose_name": "comment in a followed discussion",
                "verbose_name_plural": "comments in followed discussions",
                "ordering": ["comment"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("notification", "comment"), name="followed_comment_once"
                    )
                ],
            },
        ),
    ]
