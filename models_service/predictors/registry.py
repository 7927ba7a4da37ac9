"""The one registry of model kinds: ``{kind: predictor}``. Adding a kind is one module and one line here.

Every layer that depends on the kind (the artefact check, loading, inputs, evaluation sets, explanations)
asks this registry; none of them names a kind. Imports point one way: this module imports the predictors,
the predictors never import it.
"""

from __future__ import annotations

from models_service.errors import ServiceError
from models_service.predictors import image, text
from models_service.predictors.base import Predictor

PREDICTORS: dict[str, Predictor] = {}


def register(predictor: Predictor) -> Predictor:
    """Add ``predictor`` under its kind; a second, different predictor for a kind already taken is a bug."""
    existing = PREDICTORS.get(predictor.kind)
    if existing is not None and existing is not predictor:
        raise ValueError(f"the kind {predictor.kind!r} is registered already ({type(existing).__name__})")
    PREDICTORS[predictor.kind] = predictor
    return predictor


def unregister(kind: str) -> None:
    """Forget the predictor of ``kind`` (tests register a kind of their own and take it away again)."""
    PREDICTORS.pop(kind, None)


def predictor_for(kind: str) -> Predictor:
    """The predictor of ``kind``; ServiceError("unknown_kind") for a kind nobody registered."""
    try:
        return PREDICTORS[kind]
    except KeyError:
        kinds = ", ".join(sorted(PREDICTORS))
        message = f"PitchLab cannot run {kind!r} models; the kinds it runs are: {kinds}."
        raise ServiceError("unknown_kind", message) from None


def predictor_for_architecture(architecture: str) -> Predictor | None:
    """The predictor whose models have this config.json architecture, or None when no kind claims it."""
    return next((p for p in PREDICTORS.values() if p.matches(architecture)), None)


register(text.PREDICTOR)
register(image.PREDICTOR)
