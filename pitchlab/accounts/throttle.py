"""Rate limits of the account pages: log-in, sign-up and password reset.

Counted by ``pitchlab.core.ratelimit`` (one atomic sliding window per limit in Redis). The rates are
settings (``LOGIN_FAILURES_PER_IP`` … in settings.py, each with a PITCHLAB_ variable):

- log-in limits *failed* attempts, per client address and per username: a password guesser is slowed down
  from one address and against one account from many, while an office of founders behind one address who
  type their passwords right is never refused. Each attempt takes its place in both limits *before* the
  password is checked (so concurrent guesses cannot all slip in under the limit), and a right password gives
  it back. Past a limit, every attempt on that address or username is refused without checking the password
  until the oldest failure leaves the window;
- sign-up counts every attempt per address (each can create an account);
- password reset counts every attempt per client address and per e-mail address (each can send an e-mail:
  the per-e-mail limit stops anyone from flooding an inbox through us).

A Redis outage must not lock everyone out: the limits then let the attempt through, with a warning.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext

from pitchlab.core import ratelimit
from pitchlab.core.ratelimit import Limit, Verdict


def refusal_message(seconds: float) -> str:
    """'Too many attempts; try again in 42 seconds.'"""
    count = ratelimit.wait_seconds(seconds)
    return ngettext(
        "Too many attempts; try again in %(count)d second.",
        "Too many attempts; try again in %(count)d seconds.",
        count,
    ) % {"count": count}


def login_attempt(*, ip: str, username: str) -> Verdict:
    """Take one log-in attempt's place in the limits of ``ip`` and ``username`` (refused: the seconds to wait).

    Call ``login_succeeded`` with the verdict when the password was right: only failures stay counted.
    """
    return ratelimit.hit(
        Limit("login-ip", ip, settings.LOGIN_FAILURES_PER_IP),
        Limit("login-user", username.strip().lower(), settings.LOGIN_FAILURES_PER_USERNAME),
    )


def login_succeeded(attempt: Verdict) -> None:
    """A right password: the attempt is not a failure, and leaves the limits."""
    ratelimit.take_back(attempt)


def signup_attempt(*, ip: str) -> float | None:
    """Count one sign-up attempt; the seconds to wait when it is one too many."""
    return ratelimit.hit(Limit("signup-ip", ip, settings.SIGNUP_RATE_PER_IP)).wait


def password_reset_attempt(*, ip: str, email: str) -> float | None:
    """Count one password-reset request in both limits, or in neither; the seconds to wait when refused."""
    return ratelimit.hit(
        Limit("reset-ip", ip, settings.PASSWORD_RESET_RATE_PER_IP),
        Limit("reset-email", email.strip().lower(), settings.PASSWORD_RESET_RATE_PER_EMAIL),
    ).wait
