"""Each article's body words, counted once here and then on every save (``ArticlePage.save``)."""

from django.db import migrations, models

from home.performance import text


def count_words(apps, schema_editor):
    ArticlePage = apps.get_model("blog", "ArticlePage")
    for page in ArticlePage.objects.only("pk", "body").iterator():
        ArticlePage.objects.filter(pk=page.pk).update(body_words=text.word_count(page.body))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_article_body_team_testimonials"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name="body_words",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
