"""Flask extensions, created once and bound in `create_app()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from core.api_docs import LazySpecApi
from core.error_schema import DomainErrorSchema

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Models subclass `Model`: at run time Flask-SQLAlchemy's `db.Model` (a subclass of
# `Base` with table names and the session's query); for the type checker, `Base`.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class MarketApi(LazySpecApi):
    """The API whose documented `default` error is the one shape every refusal has
    (its OpenAPI document is written when first read: `core.api_docs`)."""

    ERROR_SCHEMA = DomainErrorSchema


api = MarketApi()
# Rate limits by client address (request.remote_addr: the proxy's view only when
# TRUSTED_PROXY_COUNT says so); its storage also keeps the sign-in lockouts.
limiter = Limiter(key_func=get_remote_address)
