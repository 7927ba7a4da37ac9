"""DRF API views with ``async def`` handlers (adrf), for the endpoints that wait: predictions, long-polls, streams.

adrf's APIView is DRF's, whose ``dispatch`` awaits an async handler (authentication, permissions and throttles
run first, in one thread hop); it ships no type information, so type checkers see DRF's class it extends.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rest_framework.views import APIView as AsyncAPIView
else:
    from adrf.views import APIView as AsyncAPIView

__all__ = ["AsyncAPIView"]
