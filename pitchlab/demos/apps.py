from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "pitchlab.demos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitchlab.demos import signals  # noqa: F401  (connects the receivers)
        from pitchlab.demos.archive import demo_archive_files
        from pitchlab.pitches.archive import archive_files

        archive_files("demos", demo_archive_files)
        from pitchlab.demos.editor_panels import demo_panel_context
        from pitchlab.pitches.panels import editor_panel

        editor_panel(section="demo", template="demos/_editor_summary.html", context=demo_panel_context)
