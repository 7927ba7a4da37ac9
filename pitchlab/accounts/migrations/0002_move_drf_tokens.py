"""Move the keys of DRF's old token table (rest_framework.authtoken, one plain-text key per user) into ApiToken.

Each key is kept working (its hash is stored, under the name "API token") and its plain text is deleted from
the old table, which no installed app owns any more. A fresh database has no such table: nothing to do.
"""

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def move(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(name) for name in ("key", "user_id", "created"))
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (constant names)
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        digest = hashlib.sha256(key.encode()).hexdigest()
        if not ApiToken.objects.filter(key_hash=digest).exists():
            token = ApiToken.objects.create(user_id=user_id, name="API token", key_hash=digest, prefix=key[:6])
            when = _aware(created)
            if when is not None:
                ApiToken.objects.filter(pk=token.pk).update(created_at=when)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def _aware(value: Any) -> datetime | None:
    """The old row's creation time: SQLite hands back text in UTC, PostgreSQL an aware datetime."""
    when = parse_datetime(value) if isinstance(value, str) else value
    if isinstance(when, datetime) and timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return when if isinstance(when, datetime) else None


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_api_token")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
