from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pitchlab.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from pitchlab.accounts import signals  # noqa: F401  (connects the receivers: a new password revokes tokens)
        from pitchlab.accounts.usernames import validate_username

        # auth.User cannot be swapped for a custom model in a live project, so the rule joins the username
        # field's validators here: every ModelForm (sign-up, the admin's add and change forms), full_clean()
        # and createsuperuser then refuse an e-mail-like username at the field. The list extended is the one
        # the field computes from ``_validators``; deconstruct() reads ``_validators``, so no migration of
        # django.contrib.auth follows.
        field = get_user_model()._meta.get_field("username")
        if validate_username not in field.validators:
            field.validators.append(validate_username)
