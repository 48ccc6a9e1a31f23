"""The application shell: `create_app()` binds extensions, blueprints, CLI and error pages."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, CONFIGS


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app for `APP_ENV` (development by default), then apply `test_config`.

    The cyclic garbage collector is paused meanwhile: building the app (importing the
    models, schemas and views) creates hundreds of thousands of objects that all live on,
    and the collections they set off found almost nothing (217 objects) in a quarter of
    the CPU time of `import wsgi`.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _create_app(test_config)
    finally:
        if collecting:
            gc.enable()


def _create_app(test_config: dict[str, Any] | None) -> Flask:
    env = os.environ.get("APP_ENV", "testing" if test_config else "development")
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(BASE_DIR / "instance")),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(CONFIGS[env])
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set: a production server refuses to start without one."
        )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)

    from core import bounds, url_rules

    bounds.init_app(app)  # before any route: every <int:...> is bounded
    url_rules.init_app(app)  # before any route: url_for's builders made when first used
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, take the client's address, scheme and host
    from their X-Forwarded-* headers; with none (the default) those headers are ignored, so a
    client cannot pick the address that rate limits and lockouts count by."""
    count = int(app.config.get("TRUSTED_PROXY_COUNT", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


POOL_SIZE_LIMIT = 100


def _size_the_pool(app: Flask) -> None:
    """PostgreSQL: keep DATABASE_POOL_SIZE connections a worker, unless the engine options
    name their own (SQLite's connections cost nothing to open)."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("postgresql") and "pool_size" not in options:
        size = int(app.config["DATABASE_POOL_SIZE"])
        if not 1 <= size <= POOL_SIZE_LIMIT:  # 0 would mean no bound at all to SQLAlchemy
            raise ValueError(f"DATABASE_POOL_SIZE must be 1 to {POOL_SIZE_LIMIT}, not {size}")
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"pool_size": size}


def _init_extensions(app: Flask) -> None:
    from accounts import auth, terms_gate
    from core import (
        breaker,
        errors,
        i18n,
        jobs,
        live,
        migrations,
        page_cache,
        security_headers,
        uow,
    )
    from core.extensions import api, csrf, db
    from core.postgresql import configure_postgresql
    from core.sqlite import configure_sqlite
    from listings import labels
    from marketplace import model_registry  # noqa: F401  (all tables in the metadata)

    _size_the_pool(app)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        configure_postgresql(db.engine)
    migrations.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    security_headers.init_app(app)
    page_cache.init_app(app)
    uow.init_app(app)
    import payments
    import search

    payments.init_app(app)
    search.init_app(app)
    breaker.init_app(app)
    _connect_handlers()
    _declare_jobs()
    jobs.init_app(app)
    live.init_app(app)
    from marketplace import observability

    observability.init_app(app)
    # Last: the hooks before it set up every request, the new terms' redirect among them.
    terms_gate.init_app(app)


def _declare_jobs() -> None:
    """Each domain declares its jobs in its `jobs.py` (see core/jobs.py)."""
    from auctions import jobs as auction_jobs  # noqa: F401
    from brokers import jobs as broker_jobs  # noqa: F401
    from deals import jobs as deal_jobs  # noqa: F401
    from events import jobs as event_jobs  # noqa: F401
    from licences import jobs as licence_jobs  # noqa: F401
    from listings import jobs as listing_jobs  # noqa: F401
    from notifications import jobs as notification_jobs  # noqa: F401
    from payments import jobs as payment_jobs  # noqa: F401
    from search import jobs as search_jobs  # noqa: F401
    from trading import jobs as trading_jobs  # noqa: F401
    from webhooks import jobs as webhook_jobs  # noqa: F401


def _connect_handlers() -> None:
    """Each domain answers the signals of the domains below it (see docs/architecture.md)."""
    from auctions import handlers as auction_handlers
    from brokers import handlers as broker_handlers
    from licences import handlers as licence_handlers
    from notifications import handlers as notification_handlers
    from rewards import royalties as reward_handlers
    from search import handlers as search_handlers
    from trading import handlers as trading_handlers
    from valuation import handlers as valuation_handlers

    for handlers in (
        trading_handlers,
        auction_handlers,
        valuation_handlers,
        search_handlers,
        broker_handlers,
        notification_handlers,
        licence_handlers,
        reward_handlers,
    ):
        handlers.connect()
    _connect_home_panels()


def _connect_home_panels() -> None:
    """Each domain's `home.py` answers core.home.home_panels with its panels of the home."""
    from accounts import home as account_home
    from auctions import home as auction_home
    from brokers import home as broker_home
    from deals import home as deal_home
    from listings import home as listing_home
    from notifications import home as notification_home
    from payments import home as payment_home
    from rewards import home as reward_home
    from trading import home as trading_home
    from valuation import home as valuation_home

    for home in (
        account_home,
        listing_home,
        notification_home,
        trading_home,
        auction_home,
        payment_home,
        deal_home,
        valuation_home,
        broker_home,
        reward_home,
    ):
        home.connect()


def _register_blueprints(app: Flask) -> None:
    # Routes that higher domains attach to lower domains' blueprints (search pages and
    # endpoints, need matches), and the negotiation pages on the sales blueprint, must be
    # imported before those blueprints are registered.
    from accounts.api import blp as tokens_api
    from accounts.org_api import blp as organisations_api
    from accounts.people_api import blp as accounts_api
    from accounts.views import bp as accounts_views
    from auctions.api import blp as auctions_api
    from auctions.views import bp as auctions_views
    from brokers import (
        document_api,  # noqa: F401
        matching_api,  # noqa: F401
    )
    from brokers.api import blp as brokers_api
    from brokers.matching_views import bp as matching_views
    from brokers.views import bp as brokers_views
    from core.extensions import api
    from deals import (
        cancel_views,  # noqa: F401
        registration_api,  # noqa: F401
        registration_batch_api,  # noqa: F401
        registration_views,  # noqa: F401
        trade_api,  # noqa: F401
        trade_views,  # noqa: F401
    )
    from deals.api import blp as deals_api
    from deals.views import bp as deals_views
    from events import organiser_api  # noqa: F401
    from events.api import blp as events_api
    from events.views import bp as events_views
    from licences import deal_views as licence_deal_views  # noqa: F401
    from licences import (  # noqa: F401
        declaration_api,
        holder_views,
        rights_views,
    )
    from licences.api import blp as licences_api
    from licences.deal_api import blp as licensing_api
    from licences.views import bp as licences_views
    from listings import (
        evaluation_api,  # noqa: F401
        evaluation_views,  # noqa: F401
        image_api,  # noqa: F401
        image_views,  # noqa: F401
        legal_api,  # noqa: F401
        legal_views,  # noqa: F401
        portfolio_api,  # noqa: F401
        portfolio_views,  # noqa: F401
    )
    from listings.api import blp as listings_api
    from listings.co_owner_api import blp as rights_api
    from listings.need_api import blp as needs_api
    from listings.need_views import bp as needs_views
    from listings.views import bp as listings_views
    from marketplace.help_pages import bp as help_views
    from marketplace.help_pages import legal as legal_pages
    from marketplace.home_api import blp as home_api
    from marketplace.home_page import bp as home_views
    from marketplace.main import bp as main_views
    from marketplace.rates.api import blp as rates_api
    from marketplace.rates.views import bp as rates_views
    from marketplace.review import deal_views  # noqa: F401
    from marketplace.review.audit_api import blp as audit_api
    from marketplace.review.queues_api import blp as review_api
    from marketplace.review.views import bp as review_views
    from marketplace.statistics.api import blp as statistics_api
    from marketplace.statistics.views import bp as statistics_views
    from notifications.api import blp as notifications_api
    from notifications.views import bp as notification_views
    from payments.api import blp as payments_api
    from payments.deposit_api import blp as deposits_api
    from payments.views import bp as payments_views
    from policies.api import blp as policies_api
    from policies.views import bp as policies_views
    from rewards import institution_api  # noqa: F401
    from rewards.api import blp as rewards_api
    from rewards.views import bp as rewards_views
    from search import api as search_api  # noqa: F401
    from search import need_pages  # noqa: F401
    from search.saved_api import blp as saved_searches_api
    from search.views import bp as search_views
    from trading import negotiation_views  # noqa: F401
    from trading.api import blp as sales_api
    from trading.notice_views import bp as publicity_views
    from trading.views import bp as sales_views
    from valuation import share_views  # noqa: F401
    from valuation.api import blp as valuation_api
    from valuation.views import bp as valuation_views
    from webhooks import openapi as webhooks_openapi
    from webhooks.api import blp as webhooks_api
    from webhooks.views import bp as webhooks_views

    for blueprint in (
        main_views,
        home_views,
        help_views,
        legal_pages,
        accounts_views,
        listings_views,
        review_views,
        search_views,
        auctions_views,
        sales_views,
        deals_views,
        publicity_views,
        valuation_views,
        needs_views,
        matching_views,
        brokers_views,
        payments_views,
        notification_views,
        webhooks_views,
        statistics_views,
        policies_views,
        licences_views,
        rates_views,
        events_views,
        rewards_views,
    ):
        app.register_blueprint(blueprint)
    from core.extensions import csrf

    csrf.exempt(listings_api)  # token-authenticated; see accounts.auth.api_actor
    api.register_blueprint(listings_api, url_prefix="/api/v1/listings")
    for blueprint, prefix in (
        (auctions_api, "/api/v1/auctions"),
        (sales_api, "/api/v1/sales"),
        (deals_api, "/api/v1/deals"),
        (valuation_api, "/api/v1/valuations"),
        (needs_api, "/api/v1/needs"),
        (payments_api, "/api/v1/payments"),
        (deposits_api, "/api/v1/deposits"),
        (notifications_api, "/api/v1/notifications"),
        (saved_searches_api, "/api/v1/saved-searches"),
        (brokers_api, "/api/v1/brokers"),
        (tokens_api, "/api/v1/tokens"),
        (accounts_api, "/api/v1/accounts"),
        (organisations_api, "/api/v1/organisations"),
        (webhooks_api, "/api/v1/webhooks"),
        (policies_api, "/api/v1/policies"),
        (licences_api, "/api/v1/open-licences"),
        (rates_api, "/api/v1/rates"),
        (events_api, "/api/v1/events"),
        (licensing_api, "/api/v1/licensing"),
        (rights_api, "/api/v1/rights"),
        (rewards_api, "/api/v1/rewards"),
        (statistics_api, "/api/v1/statistics"),
        (audit_api, "/api/v1/audit"),
        (review_api, "/api/v1/review"),
        (home_api, "/api/v1/home"),
    ):
        csrf.exempt(blueprint)  # token-authenticated, like the listings API
        api.register_blueprint(blueprint, url_prefix=prefix)
    api.describe_later(
        webhooks_openapi.describe
    )  # what receivers get: x-webhooks (webhooks in 3.1)


def _register_cli(app: Flask) -> None:
    from accounts.cli import accounts_cli
    from auctions.cli import auctions_cli
    from core.audit_cli import audit_cli
    from core.files_cli import files_cli
    from core.jobs_cli import jobs_cli
    from deals.cli import deals_cli
    from listings.cli import listings_cli
    from marketplace.demo.cli import demo_cli
    from marketplace.devserver import serve_command
    from payments.cli import payments_cli
    from search.cli import search_cli
    from trading.cli import close_notices, close_sales

    # Trading's cron commands keep the groups they were first published under.
    listings_cli.add_command(close_sales)
    deals_cli.add_command(close_notices)
    for group in (
        accounts_cli,
        audit_cli,
        auctions_cli,
        deals_cli,
        demo_cli,
        files_cli,
        jobs_cli,
        listings_cli,
        payments_cli,
        search_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)
