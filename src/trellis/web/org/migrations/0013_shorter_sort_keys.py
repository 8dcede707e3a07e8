"""Every stored sort key written again in the shorter form (``trellis.lib.collation``): the directory
compares keys, so every person's must be in the same form."""

from django.db import migrations

BATCH = 2000


def rekey_people(apps, schema_editor):
    from trellis.lib.collation import name_sort_key

    Person = apps.get_model("org", "Person")
    people = Person.objects.only("id", "name").order_by("id")
    last = 0
    while True:
        batch = list(people.filter(id__gt=last)[:BATCH])
        if not batch:
            return
        for p in batch:
            p.sort_key = name_sort_key(p.name)
        Person.objects.bulk_update(batch, ["sort_key"])
        last = batch[-1].id


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0012_moments_from_the_clock'),
    ]

    operations = [
        # Backwards the keys are left in the shorter form, which an earlier release does not write: going
        # back to one means writing its keys again (its migration 0002's function, run by that release).
        migrations.RunPython(rekey_people, migrations.RunPython.noop),
    ]
