"""Settings classes, read from the environment (12-factor).

`create_app()` picks one by `APP_ENV` (development, testing, production);
every value can be overridden by an environment variable of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SEARCH_BACKEND: str = os.environ.get("SEARCH_BACKEND", "embedded")
    SEARCH_INDEX_PATH: str = os.environ.get("SEARCH_INDEX_PATH", str(INSTANCE_DIR / "search.db"))
    # SEARCH_BACKEND=elasticsearch: the cluster is the primary index and the embedded
    # one (SEARCH_INDEX_PATH) the fallback while the cluster cannot be reached.
    # ELASTICSEARCH_URL: one node or several, comma-separated (https://es1:9200,https://es2:9200).
    ELASTICSEARCH_URL: str | None = os.environ.get("ELASTICSEARCH_URL")
    # Either an API key (the encoded form Kibana / the security API gives) or user + password.
    ELASTICSEARCH_API_KEY: str | None = os.environ.get("ELASTICSEARCH_API_KEY")
    ELASTICSEARCH_USERNAME: str | None = os.environ.get("ELASTICSEARCH_USERNAME")
    ELASTICSEARCH_PASSWORD: str | None = os.environ.get("ELASTICSEARCH_PASSWORD")
    # PEM file of the CA that signed the nodes' certificates (https:// URLs).
    ELASTICSEARCH_CA_CERTS: str | None = os.environ.get("ELASTICSEARCH_CA_CERTS")
    # The alias searches go through; `flask search reindex` builds <alias>-<version> indices.
    ELASTICSEARCH_INDEX_ALIAS: str = os.environ.get(
        "ELASTICSEARCH_INDEX_ALIAS", "marketplace-listings"
    )
    # Replicas of each new index: 0 for one node, 1 on a three-node cluster.
    ELASTICSEARCH_REPLICAS: int = _env_int("ELASTICSEARCH_REPLICAS", 0)
    ELASTICSEARCH_TIMEOUT: float = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "5"))
    ELASTICSEARCH_MAX_RETRIES: int = _env_int("ELASTICSEARCH_MAX_RETRIES", 1)
    # GET and HEAD never write (core.uow): a request that does, outside the documented
    # exceptions, fails under TESTING and is logged as an error otherwise.
    CHECK_GET_WRITES: bool = os.environ.get("CHECK_GET_WRITES", "1") != "0"
    # The job runner (core/jobs.py, `flask jobs worker`): its queue is Redis when
    # REDIS_URL is set (several workers on several machines), else a SQLite file.
    REDIS_URL: str | None = os.environ.get("REDIS_URL")
    JOBS_QUEUE_NAME: str = os.environ.get("JOBS_QUEUE_NAME", "market")
    JOBS_SQLITE_PATH: str = os.environ.get("JOBS_SQLITE_PATH", str(INSTANCE_DIR / "jobs.sqlite3"))
    # Run each queued job at once in the caller's thread (tests; no worker needed).
    JOBS_IMMEDIATE: bool = os.environ.get("JOBS_IMMEDIATE", "0") == "1"
    # Email (notifications): any SMTP server; `make run` and `make test` use Mailpit.
    MAIL_SERVER: str = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT: int = _env_int("MAIL_PORT", 1025)
    MAIL_USE_TLS: bool = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME: str | None = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD: str | None = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM: str = os.environ.get("MAIL_FROM", "noreply@market.example.org")
    MAIL_FROM_NAME: str = os.environ.get("MAIL_FROM_NAME", "技术交易市场 Technology Market")
    # The address links in emails point to.
    SITE_URL: str = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    UPLOAD_FOLDER: str = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Evidence documents: PDF and images, 10 MiB each (a scanned certificate fits).
    MAX_EVIDENCE_BYTES: int = _env_int("MAX_EVIDENCE_BYTES", 10 * 1024 * 1024)
    MAX_CONTENT_LENGTH: int = _env_int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024)
    BABEL_DEFAULT_LOCALE: str = "zh_CN"
    BABEL_DEFAULT_TIMEZONE: str = os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai")
    LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    REMEMBER_COOKIE_HTTPONLY: bool = True
    REMEMBER_COOKIE_SAMESITE: str = "Lax"
    WTF_CSRF_TIME_LIMIT: int | None = None
    API_TITLE: str = "Technology Transfer Marketplace API"
    API_VERSION: str = "v1"
    OPENAPI_VERSION: str = "3.0.3"
    OPENAPI_URL_PREFIX: str = "/api/v1"
    OPENAPI_JSON_PATH: str = "openapi.json"
    CURRENCY: str = os.environ.get("CURRENCY", "CNY")
    # The market's calendar: public holidays and weekend make-up working days (调休),
    # comma-separated ISO dates, e.g. MARKET_HOLIDAYS=2027-01-01,2027-02-05
    MARKET_HOLIDAYS: str = os.environ.get("MARKET_HOLIDAYS", "")
    MARKET_WORKDAYS: str = os.environ.get("MARKET_WORKDAYS", "")
    LISTING_PERIOD_WORKING_DAYS: int = _env_int("LISTING_PERIOD_WORKING_DAYS", 20)
    PUBLICITY_DAYS: int = _env_int("PUBLICITY_DAYS", 15)
    DEPOSIT_RELEASE_WORKING_DAYS: int = _env_int("DEPOSIT_RELEASE_WORKING_DAYS", 5)
    DEFAULT_DEPOSIT_BPS: int = _env_int("DEFAULT_DEPOSIT_BPS", 1000)  # 10 %
    # Auctions: the announcement (拍卖公告) is published at least this many calendar days
    # before bidding starts (拍卖法 Art. 45: 7).
    AUCTION_ANNOUNCEMENT_DAYS: int = _env_int("AUCTION_ANNOUNCEMENT_DAYS", 7)
    # Bounds on what a seller sets (the form states them; the rules refuse beyond them):
    # bidding from 24 hours to 30 days, starting at most 180 days ahead; a starting price
    # of at most ¥10 billion; an increment of at least ¥1 and at most 10 % of the start.
    AUCTION_MIN_HOURS: int = _env_int("AUCTION_MIN_HOURS", 24)
    AUCTION_MAX_DAYS: int = _env_int("AUCTION_MAX_DAYS", 30)
    AUCTION_MAX_START_DAYS_AHEAD: int = _env_int("AUCTION_MAX_START_DAYS_AHEAD", 180)
    AUCTION_MAX_STARTING_PRICE_MINOR: int = _env_int(
        "AUCTION_MAX_STARTING_PRICE_MINOR", 10_000_000_000 * 100
    )
    AUCTION_MIN_INCREMENT_MINOR: int = _env_int("AUCTION_MIN_INCREMENT_MINOR", 100)
    AUCTION_MAX_INCREMENT_BPS: int = _env_int("AUCTION_MAX_INCREMENT_BPS", 1000)
    # Payments. The platform's fee on every deal, in basis points of the price (100 = 1 %).
    PLATFORM_FEE_BPS: int = _env_int("PLATFORM_FEE_BPS", 100)
    # Stripe (test mode keys in development): the card channel is on only when all three
    # are set; bank transfer is always available. STRIPE_API_BASE points the client at
    # another server (stripe-mock: devservices/stripe-mock.sh).
    STRIPE_SECRET_KEY: str | None = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_PUBLISHABLE_KEY: str | None = os.environ.get("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET: str | None = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_API_BASE: str | None = os.environ.get("STRIPE_API_BASE")
    # A card deposit is only authorised (captured later) when the sale ends within this
    # many hours; card holds last about 7 days. Otherwise it is charged and refunded.
    STRIPE_CAPTURE_WINDOW_HOURS: int = _env_int("STRIPE_CAPTURE_WINDOW_HOURS", 144)
    # Country of new Connect (Express) accounts, e.g. HK; empty lets Stripe decide.
    STRIPE_CONNECT_COUNTRY: str | None = os.environ.get("STRIPE_CONNECT_COUNTRY") or None
    LISTINGS_PER_PAGE: int = 20
    # Brokers: the dashboard warns this many days before a broker's certificate expires.
    BROKER_EXPIRY_WARNING_DAYS: int = _env_int("BROKER_EXPIRY_WARNING_DAYS", 60)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, embedded search, a local-only secret."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestingConfig(Config):
    """The test suite; the database URL comes from the fixture."""

    TESTING = True
    SECRET_KEY = "testing"
    WTF_CSRF_ENABLED = False
    JOBS_IMMEDIATE = True


class ProductionConfig(Config):
    """Production: refuses to start without a real secret key."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
