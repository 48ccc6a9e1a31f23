"""Import every model module once, so the metadata (and Alembic) knows every table."""

from accounts import models as accounts_models  # noqa: F401
from auctions import models as auctions_models  # noqa: F401
from brokers import models as brokers_models  # noqa: F401
from core import (
    audit_models,  # noqa: F401
    idempotency,  # noqa: F401
    jobs,  # noqa: F401
    outbox,  # noqa: F401
    rates,  # noqa: F401
)
from deals import models as deals_models  # noqa: F401
from deals import trade_models  # noqa: F401
from events import models as events_models  # noqa: F401
from licences import deal_models as licence_deal_models  # noqa: F401
from licences import models as licences_models  # noqa: F401
from listings import co_owner_models  # noqa: F401
from listings import models as listings_models  # noqa: F401
from marketplace.statistics import indexes as statistics_indexes  # noqa: F401
from notifications import models as notifications_models  # noqa: F401
from payments import models as payments_models  # noqa: F401
from policies import models as policies_models  # noqa: F401
from search import models as search_models  # noqa: F401
from valuation import models as valuation_models  # noqa: F401
from webhooks import models as webhooks_models  # noqa: F401
