from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A named API key of one user. Only the key's SHA-256 is stored: the key itself is shown once, at creation.

    A key is 240 random bits, so a plain (unsalted, fast) hash is enough: there is nothing to guess or to
    precompute, and the lookup by hash stays one indexed query per request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The key's first characters, to tell keys apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user_id}"
