from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trellis.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from trellis.web.accounts import discovery  # noqa: F401  registers the identity provider's check
