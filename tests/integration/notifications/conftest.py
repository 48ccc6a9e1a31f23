"""Fixtures the notification tests share: Mailpit, a brokered market (brokers) and an
auction whose deal is paid (payments)."""

from tests.integration.brokers.conftest import bound_mandate, market  # noqa: F401
from tests.integration.notifications.test_notifications import mailpit  # noqa: F401
from tests.integration.payments.helpers import auction_market  # noqa: F401
