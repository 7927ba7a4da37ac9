"""The web side never imports torch; models_service never imports django or pitchlab."""

from tests.support import ROOT, run_python


def python_prints(code: str) -> str:
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="pitchlab.settings")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_web_app_does_not_import_torch() -> None:
    code = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; import pitchlab.urls, pitchlab.wsgi, pitchlab.celery;"
        "import pitchlab.core.health, pitchlab.pitches.apis;"
        "resolve('/healthz');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'torch', 'transformers', 'models_service'}))"
    )
    assert python_prints(code) == "[]"


# Django is installed in this environment, so third-party code (kombu's JSON module) imports it
# when it can. A GPU box has no Django: block it, as its absence would, and load the whole service.
BLOCK_DJANGO = """
import sys
class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'django', 'pitchlab', 'rest_framework'}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Absent())
"""


def test_models_service_runs_without_django_or_pitchlab() -> None:
    code = BLOCK_DJANGO + (
        "import models_service.celery_app, models_service.tasks, models_service.__main__ as cli;"
        "import models_service.inference, models_service.lifecycle, models_service.files;"
        "import models_service.loading, models_service.predictors.text;"
        "import models_service.predictors.image, models_service.evaluation, models_service.testing;"
        "assert cli.main(['device']) == 0"
    )
    assert '"device"' in python_prints(code)


def test_models_service_source_never_names_django_or_pitchlab() -> None:
    import ast

    for path in (ROOT / "models_service").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"django", "pitchlab"}, f"{path} imports {name}"


def test_importing_the_inference_app_leaves_the_web_tasks_on_the_web_app() -> None:
    """A process that imports models_service's Celery app (a test module, a benchmark) for its constants still
    sends the web side's shared tasks through the web app, to the default queue; the CI failure was exports
    sent through the inference app, to the inference queue, while the default worker waited."""
    code = (
        "import django; django.setup();"
        "import models_service.celery_app; from models_service.benchmark import _client_app;"
        "_client_app('redis://127.0.0.1:9/0');"
        "from celery import current_app; from pitchlab.decks.tasks import charts_render, export_render;"
        "print(current_app.main, export_render.app.main, charts_render.app.main,"
        " export_render.app.amqp.router.route({}, export_render.name)['queue'].name)"
    )
    assert python_prints(code).split() == ["pitchlab", "pitchlab", "pitchlab", "default"]
