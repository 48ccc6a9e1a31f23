"""Settings classes, read from the environment (12-factor).

`create_app()` picks one by `APP_ENV` (development, testing, production);
every value can be overridden by an environment variable of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.db'}"
    )
    # No ping before each checkout (a round trip on every request): a connection the
    # server dropped fails one statement, after which SQLAlchemy discards the whole pool
    # (it recognises the disconnect), and connections are renewed every 30 minutes anyway.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": False, "pool_recycle": 1800}
    # PostgreSQL: connections a worker keeps (1 to 100), one per gunicorn thread and two to
    # spare. SQLAlchemy's default of 5 under 8 busy threads opens and closes a connection
    # (a server process, its prepared statements) for most requests beyond the fifth:
    # bench/http.py served 15-25% fewer requests/s.
    DATABASE_POOL_SIZE: int = _env_int("DATABASE_POOL_SIZE", _env_int("GUNICORN_THREADS", 8) + 2)
    # The home page's market figures are counted at most this often per worker (they
    # move by a listing at a time; every visitor of the front page would count them).
    HOME_FIGURES_SECONDS: float = _env_float("HOME_FIGURES_SECONDS", 60)
    # The public pages as visitors who are not signed in read them are kept this long per
    # worker (core/page_cache.py: a write in the worker empties it; 0 turns it off).
    PAGE_CACHE_SECONDS: float = _env_float("PAGE_CACHE_SECONDS", 5)
    PAGE_CACHE_ENTRIES: int = _env_int("PAGE_CACHE_ENTRIES", 512)
    # The API's catalogue reads (search, needs, auctions, brokers) per caller, as long.
    API_READ_CACHE_SECONDS: float = _env_float("API_READ_CACHE_SECONDS", 1)
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
    # The client's own timeout (jobs, CLI); requests wait at most their budget (below).
    # A timed-out request is not retried: a hung node would cost it twice.
    ELASTICSEARCH_TIMEOUT: float = _env_float("ELASTICSEARCH_TIMEOUT", 5)
    ELASTICSEARCH_MAX_RETRIES: int = _env_int("ELASTICSEARCH_MAX_RETRIES", 1)
    # Time budgets (milliseconds) a request gives a dependency it can do without, before
    # its fallback answers (core/breaker.py): search on a page, in the API, /healthz probes.
    SEARCH_BUDGET_PAGE_MS: int = _env_int("SEARCH_BUDGET_PAGE_MS", 300)
    SEARCH_BUDGET_API_MS: int = _env_int("SEARCH_BUDGET_API_MS", 1000)
    HEALTH_BUDGET_MS: int = _env_int("HEALTH_BUDGET_MS", 1000)
    # In a request, the longest the S3 bucket may keep one call waiting (connecting, an
    # answer), one attempt: then "documents are briefly unavailable" (503). Jobs and
    # commands keep boto3's patient client (core/storage/guard.py).
    STORAGE_BUDGET_MS: int = _env_int("STORAGE_BUDGET_MS", 3000)
    # Circuit breakers (per worker): after BREAKER_FAILURES failures or timeouts of one
    # dependency within BREAKER_WINDOW_SECONDS, calls skip it for BREAKER_COOLDOWN_SECONDS,
    # then one trial call decides. BREAKER_<NAME>_* (SEARCH, STRIPE, SMTP, REDIS, STORAGE)
    # overrides one dependency's.
    BREAKER_FAILURES: int = _env_int("BREAKER_FAILURES", 3)
    BREAKER_WINDOW_SECONDS: float = _env_float("BREAKER_WINDOW_SECONDS", 30)
    BREAKER_COOLDOWN_SECONDS: float = _env_float("BREAKER_COOLDOWN_SECONDS", 30)
    # GET and HEAD never write (core.uow): a request that does, outside the documented
    # exceptions, fails under TESTING and is logged as an error otherwise.
    CHECK_GET_WRITES: bool = os.environ.get("CHECK_GET_WRITES", "1") != "0"
    # The job runner (core/jobs.py, `flask jobs worker`): its queue is Redis when
    # REDIS_URL is set (several workers on several machines), else a SQLite file.
    REDIS_URL: str | None = os.environ.get("REDIS_URL")
    JOBS_QUEUE_NAME: str = os.environ.get("JOBS_QUEUE_NAME", "market")
    # Live auction rooms (core/live.py): Redis pub/sub between nodes when set (REDIS_URL by
    # default), else an in-process broadcaster (one process: `make run`).
    LIVE_REDIS_URL: str | None = os.environ.get("LIVE_REDIS_URL") or os.environ.get("REDIS_URL")
    # Observability (marketplace/observability.py). LOG_FORMAT=json: one JSON object per
    # line with the request id; /metrics answers only these networks (comma-separated
    # CIDRs) or a request bearing METRICS_BEARER_TOKEN. With gunicorn's several workers set
    # PROMETHEUS_MULTIPROC_DIR (an empty folder) in the environment (README, production).
    LOG_FORMAT: str = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL: str = os.environ.get("LOG_LEVEL", "INFO")
    METRICS_ALLOWED_NETWORKS: str = os.environ.get(
        "METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128"
    )
    METRICS_BEARER_TOKEN: str | None = os.environ.get("METRICS_BEARER_TOKEN")
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
    # Email is sent by jobs only (retried with back-off); one SMTP exchange may take this long.
    MAIL_TIMEOUT_SECONDS: float = _env_float("MAIL_TIMEOUT_SECONDS", 10)
    MAIL_FROM_NAME: str = os.environ.get("MAIL_FROM_NAME", "技术交易市场 Technology Market")
    # The address links in emails point to.
    SITE_URL: str = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    UPLOAD_FOLDER: str = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Where uploaded documents live (core/storage): "local" (UPLOAD_FOLDER) or "s3" (a
    # bucket; the default once S3_BUCKET is set). Credentials come from boto3's own chain
    # (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, an instance role).
    S3_BUCKET: str | None = os.environ.get("S3_BUCKET") or None
    STORAGE_BACKEND: str = os.environ.get("STORAGE_BACKEND") or ("s3" if S3_BUCKET else "local")
    S3_PREFIX: str = os.environ.get("S3_PREFIX", "")
    S3_ENDPOINT_URL: str | None = os.environ.get("S3_ENDPOINT_URL") or None
    S3_REGION: str | None = os.environ.get("S3_REGION") or None
    S3_SERVER_SIDE_ENCRYPTION: bool = os.environ.get("S3_SERVER_SIDE_ENCRYPTION", "1") != "0"
    # "stream": downloads pass through the app; "redirect": to a presigned URL of the bucket
    # that expires after S3_PRESIGNED_SECONDS (the app still decides who may have it).
    S3_DOWNLOADS: str = os.environ.get("S3_DOWNLOADS", "stream")
    S3_PRESIGNED_SECONDS: int = _env_int("S3_PRESIGNED_SECONDS", 60)
    # Evidence documents: PDF and images, 10 MiB each (a scanned certificate fits).
    MAX_EVIDENCE_BYTES: int = _env_int("MAX_EVIDENCE_BYTES", 10 * 1024 * 1024)
    # Pictures of a listing (listings/image_files.py): PNG, JPEG or WebP of at most 5 MiB,
    # each side between IMAGE_MIN_EDGE and IMAGE_MAX_EDGE pixels, IMAGES_PER_LISTING each.
    MAX_IMAGE_BYTES: int = _env_int("MAX_IMAGE_BYTES", 5 * 1024 * 1024)
    IMAGE_MIN_EDGE: int = _env_int("IMAGE_MIN_EDGE", 120)
    IMAGE_MAX_EDGE: int = _env_int("IMAGE_MAX_EDGE", 6000)
    IMAGES_PER_LISTING: int = _env_int("IMAGES_PER_LISTING", 8)
    MAX_CONTENT_LENGTH: int = _env_int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024)
    # Bounds of input (core/bounds.py; beyond them a 4xx): amounts in minor units (10**14
    # is ¥1,000,000,000,000.00), the years of dates people type, values of one name in a
    # query string or form, items of a list, nesting of a JSON body.
    MAX_AMOUNT_MINOR: int = _env_int("MAX_AMOUNT_MINOR", 10**14)
    MIN_INPUT_YEAR: int = _env_int("MIN_INPUT_YEAR", 1900)
    MAX_INPUT_YEAR: int = _env_int("MAX_INPUT_YEAR", 2100)
    MAX_QUERY_VALUES: int = _env_int("MAX_QUERY_VALUES", 20)
    MAX_FORM_VALUES: int = _env_int("MAX_FORM_VALUES", 100)
    MAX_LIST_ITEMS: int = _env_int("MAX_LIST_ITEMS", 100)
    MAX_JSON_DEPTH: int = _env_int("MAX_JSON_DEPTH", 32)
    BABEL_DEFAULT_LOCALE: str = "zh_CN"
    BABEL_DEFAULT_TIMEZONE: str = os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai")
    LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
    # A session ends this many hours after sign-in, however active (accounts/auth.py).
    SESSION_ABSOLUTE_LIFETIME_HOURS: int = _env_int("SESSION_ABSOLUTE_LIFETIME_HOURS", 12)
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host. 0 (the
    # default): those headers are ignored, so a client cannot choose its address.
    TRUSTED_PROXY_COUNT: int = _env_int("TRUSTED_PROXY_COUNT", 0)
    # Strict-Transport-Security, sent only when set (production: the site is HTTPS only).
    HSTS: str | None = os.environ.get("HSTS") or None
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    REMEMBER_COOKIE_HTTPONLY: bool = True
    REMEMBER_COOKIE_SAMESITE: str = "Lax"
    WTF_CSRF_TIME_LIMIT: int | None = None
    API_TITLE: str = "Technology Transfer Marketplace API"
    API_VERSION: str = "v1"
    OPENAPI_VERSION: str = "3.1.0"  # 3.1: the webhooks' payloads under `webhooks`
    OPENAPI_URL_PREFIX: str = "/api/v1"
    OPENAPI_JSON_PATH: str = "openapi.json"
    # What every client needs to know: how to authenticate, which language messages are in.
    API_SPEC_OPTIONS: dict[str, Any] = {
        "info": {
            "description": (
                "The REST API of the technology transfer market. Writes take a personal API "
                "token (`Authorization: Bearer <token>`, issued on the account's API tokens "
                "page or by `POST /api/v1/tokens/`); a read-scoped token may only read. "
                "Error bodies are `{code, message, errors}`: `code` is stable, `message` and "
                "`errors` follow the `Accept-Language` header: Chinese (`zh`, the default) "
                "or English (`en`)."
            )
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "A personal API token (tt_...): read or write scope, expires; "
                        "401 when unknown, revoked or expired, 403 for a read token's write."
                    ),
                }
            }
        },
    }
    # Outbound webhooks go to https URLs of public hosts; development and tests may also
    # send to a receiver on http://localhost or http://127.0.0.1.
    WEBHOOKS_ALLOW_LOCAL_HTTP: bool = False
    CURRENCY: str = os.environ.get("CURRENCY", "CNY")
    # The market's calendar: public holidays and weekend make-up working days (调休),
    # comma-separated ISO dates, e.g. MARKET_HOLIDAYS=2027-01-01,2027-02-05
    MARKET_HOLIDAYS: str = os.environ.get("MARKET_HOLIDAYS", "")
    MARKET_WORKDAYS: str = os.environ.get("MARKET_WORKDAYS", "")
    LISTING_PERIOD_WORKING_DAYS: int = _env_int("LISTING_PERIOD_WORKING_DAYS", 20)
    PUBLICITY_DAYS: int = _env_int("PUBLICITY_DAYS", 15)
    DEPOSIT_RELEASE_WORKING_DAYS: int = _env_int("DEPOSIT_RELEASE_WORKING_DAYS", 5)
    # The winner of an online sale signs the contract within this many working days, or
    # the rules cancel the deal and its deposit is forfeited (deals.lapse_unsigned).
    SIGNING_WORKING_DAYS: int = _env_int("SIGNING_WORKING_DAYS", 5)
    # A signed deal waiting longer than this many days for its next milestone: both
    # parties are told once (deals.overdue).
    DEAL_STEP_DAYS: int = _env_int("DEAL_STEP_DAYS", 30)
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
    # A forfeited deposit (the winner did not sign) goes to the seller, less this fee.
    FORFEIT_FEE_BPS: int = _env_int("FORFEIT_FEE_BPS", PLATFORM_FEE_BPS)
    # Stripe (test mode keys in development): the card channel is on only when all three
    # are set; bank transfer is always available. STRIPE_API_BASE points the client at
    # another server (stripe-mock: devservices/stripe-mock.sh).
    STRIPE_SECRET_KEY: str | None = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_PUBLISHABLE_KEY: str | None = os.environ.get("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET: str | None = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_API_BASE: str | None = os.environ.get("STRIPE_API_BASE")
    # How long one call to Stripe may take (a payment page waits at most this), and how
    # often the client itself retries a failed call (the queue retries later anyway).
    STRIPE_TIMEOUT_SECONDS: float = _env_float("STRIPE_TIMEOUT_SECONDS", 3)
    STRIPE_MAX_NETWORK_RETRIES: int = _env_int("STRIPE_MAX_NETWORK_RETRIES", 0)
    # A webhook event stamped (`created`) later than now plus this many seconds is refused.
    # Only events of the configured key's mode are accepted (sk_live_… live, else test).
    STRIPE_EVENT_CLOCK_SKEW_SECONDS: int = _env_int("STRIPE_EVENT_CLOCK_SKEW_SECONDS", 300)
    # A card deposit is only authorised (captured later) when the sale ends within this
    # many hours; card holds last about 7 days. Otherwise it is charged and refunded.
    STRIPE_CAPTURE_WINDOW_HOURS: int = _env_int("STRIPE_CAPTURE_WINDOW_HOURS", 144)
    # A card hold whose deadline (Stripe's capture_before) comes within this many hours
    # while its deposit is still held is captured by the payments.card_holds job.
    STRIPE_HOLD_CAPTURE_MARGIN_HOURS: int = _env_int("STRIPE_HOLD_CAPTURE_MARGIN_HOURS", 24)
    # Country of new Connect (Express) accounts, e.g. HK; empty lets Stripe decide.
    STRIPE_CONNECT_COUNTRY: str | None = os.environ.get("STRIPE_CONNECT_COUNTRY") or None
    # The market's bank accounts (收款账户) that payers transfer to; pages asking for a
    # transfer show them with the reference and a QR code. MARKET_BANK_*: the settlement
    # account (deal payments, and deposits unless MARKET_DEPOSIT_BANK_* names another).
    # Payee, bank and account number are required for an account to be shown.
    MARKET_BANK_PAYEE: str = os.environ.get("MARKET_BANK_PAYEE", "")
    MARKET_BANK_NAME: str = os.environ.get("MARKET_BANK_NAME", "")
    MARKET_BANK_BRANCH: str = os.environ.get("MARKET_BANK_BRANCH", "")
    MARKET_BANK_ACCOUNT: str = os.environ.get("MARKET_BANK_ACCOUNT", "")
    MARKET_BANK_SWIFT: str = os.environ.get("MARKET_BANK_SWIFT", "")
    MARKET_DEPOSIT_BANK_PAYEE: str = os.environ.get("MARKET_DEPOSIT_BANK_PAYEE", "")
    MARKET_DEPOSIT_BANK_NAME: str = os.environ.get("MARKET_DEPOSIT_BANK_NAME", "")
    MARKET_DEPOSIT_BANK_BRANCH: str = os.environ.get("MARKET_DEPOSIT_BANK_BRANCH", "")
    MARKET_DEPOSIT_BANK_ACCOUNT: str = os.environ.get("MARKET_DEPOSIT_BANK_ACCOUNT", "")
    MARKET_DEPOSIT_BANK_SWIFT: str = os.environ.get("MARKET_DEPOSIT_BANK_SWIFT", "")
    LISTINGS_PER_PAGE: int = 20
    # Personal API tokens expire after at most this many days (the owner picks, up to it).
    API_TOKEN_MAX_DAYS: int = _env_int("API_TOKEN_MAX_DAYS", 365)
    # Brokers: the dashboard warns this many days before a broker's certificate expires.
    BROKER_EXPIRY_WARNING_DAYS: int = _env_int("BROKER_EXPIRY_WARNING_DAYS", 60)
    # The market's contacts shown on the help pages (/help); an empty one is not shown.
    MARKET_CONTACT_NAME: str = os.environ.get("MARKET_CONTACT_NAME", "")
    MARKET_CONTACT_PHONE: str = os.environ.get("MARKET_CONTACT_PHONE", "")
    MARKET_CONTACT_EMAIL: str = os.environ.get("MARKET_CONTACT_EMAIL", "")
    MARKET_CONTACT_ADDRESS: str = os.environ.get("MARKET_CONTACT_ADDRESS", "")
    MARKET_CONTACT_HOURS: str = os.environ.get("MARKET_CONTACT_HOURS", "")
    # Who runs the market, as the terms and privacy notice name it (the personal-information
    # handler of 个人信息保护法); empty: the pages say "the operator of this market".
    MARKET_OPERATOR_NAME: str = os.environ.get("MARKET_OPERATOR_NAME", "")
    MARKET_OPERATOR_CREDIT_CODE: str = os.environ.get("MARKET_OPERATOR_CREDIT_CODE", "")
    # The person responsible for personal information (个人信息保护负责人) and their address.
    MARKET_PRIVACY_OFFICER: str = os.environ.get("MARKET_PRIVACY_OFFICER", "")
    MARKET_PRIVACY_EMAIL: str = os.environ.get("MARKET_PRIVACY_EMAIL", "")
    # Sign-in protection (accounts/throttle.py). Flask-Limiter counts in memory (one
    # process: `make run`) or, when REDIS_URL is set, in Redis (shared by every worker).
    RATELIMIT_STORAGE_URI: str = os.environ.get("RATELIMIT_STORAGE_URI") or (
        os.environ.get("REDIS_URL") or "memory://"
    )
    RATELIMIT_STRATEGY: str = "moving-window"
    # Redis unreachable: limits fail open (the request goes on, logged), while sign-in,
    # whose lockouts live there too, fails closed (accounts.services.sign_in).
    RATELIMIT_SWALLOW_ERRORS: bool = True
    # A Redis call (limiter, lockouts, job queue) waits at most this long.
    REDIS_TIMEOUT_SECONDS: float = _env_float("REDIS_TIMEOUT_SECONDS", 0.5)
    # No CLIENT SETINFO on connecting: against a hung Redis each would cost a timeout more.
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "driver_info": None,
    }
    # The sign-in page sets its own Retry-After (the limiter's would rewrite the lockout's).
    RATELIMIT_HEADERS_ENABLED: bool = False
    RATELIMIT_KEY_PREFIX: str = os.environ.get("RATELIMIT_KEY_PREFIX", "market")
    # Sign-in attempts (right or wrong) one client address may make.
    SIGNIN_RATE_LIMIT: str = os.environ.get("SIGNIN_RATE_LIMIT", "30 per minute")
    # Progressive lockout: after this many failed sign-ins an account (or, with the
    # second number, a client address) is locked for SIGNIN_LOCK_FIRST_SECONDS; each
    # further failure doubles the lock, up to SIGNIN_LOCK_MAX_SECONDS.
    SIGNIN_ACCOUNT_FREE_FAILURES: int = _env_int("SIGNIN_ACCOUNT_FREE_FAILURES", 5)
    SIGNIN_ADDRESS_FREE_FAILURES: int = _env_int("SIGNIN_ADDRESS_FREE_FAILURES", 20)
    SIGNIN_LOCK_FIRST_SECONDS: int = _env_int("SIGNIN_LOCK_FIRST_SECONDS", 60)
    SIGNIN_LOCK_MAX_SECONDS: int = _env_int("SIGNIN_LOCK_MAX_SECONDS", 3600)
    # Failures are forgotten this long after the first one of a series.
    SIGNIN_FAILURE_MEMORY_SECONDS: int = _env_int("SIGNIN_FAILURE_MEMORY_SECONDS", 86400)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, embedded search, a local-only secret."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    WEBHOOKS_ALLOW_LOCAL_HTTP = True
    MARKET_BANK_PAYEE = os.environ.get("MARKET_BANK_PAYEE", "技术交易市场（演示）Demo Market Ltd")
    MARKET_BANK_NAME = os.environ.get("MARKET_BANK_NAME", "中国工商银行 ICBC")
    MARKET_BANK_BRANCH = os.environ.get("MARKET_BANK_BRANCH", "演示支行 Demo Branch")
    MARKET_BANK_ACCOUNT = os.environ.get("MARKET_BANK_ACCOUNT", "6222 0000 0000 0000 000")


class TestingConfig(Config):
    """The test suite; the database URL comes from the fixture."""

    TESTING = True
    SECRET_KEY = "testing"
    HOME_FIGURES_SECONDS = 0.0  # a test sees the figures of its own market
    PAGE_CACHE_SECONDS = 0.0  # and each page as its own writes left it
    API_READ_CACHE_SECONDS = 0.0
    WTF_CSRF_ENABLED = False
    JOBS_IMMEDIATE = True
    WEBHOOKS_ALLOW_LOCAL_HTTP = True
    # Sign-in protection stays on, counted in this process only (never a shared Redis);
    # tests/conftest.py empties the counters before each test.
    RATELIMIT_STORAGE_URI = "memory://"
    # Documents on disk unless a test configures S3 itself; the test S3 server (S3Proxy)
    # does not implement server-side encryption headers.
    STORAGE_BACKEND = "local"
    S3_SERVER_SIDE_ENCRYPTION = False
    LIVE_REDIS_URL = None  # live rooms in process; tests of Redis make their own hub
    # Budgets roomy enough for a busy CI machine; tests/faults sets production-like ones.
    SEARCH_BUDGET_PAGE_MS = 5000
    SEARCH_BUDGET_API_MS = 5000
    MARKET_BANK_PAYEE = "威海技术交易市场有限公司"
    MARKET_BANK_NAME = "中国工商银行"
    MARKET_BANK_BRANCH = "威海分行营业部"
    MARKET_BANK_ACCOUNT = "1614 0200 0920 0123 456"
    MARKET_BANK_SWIFT = "ICBKCNBJSDG"


class ProductionConfig(Config):
    """Production: refuses to start without a real secret key."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = os.environ.get("HSTS", "max-age=31536000; includeSubDomains")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
