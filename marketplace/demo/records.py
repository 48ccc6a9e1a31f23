"""The shapes of the demo's hand-written data: a research result, an organisation."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import OrganisationKind


@dataclass(frozen=True)
class Result:
    """One research result as its holder would list it, in both languages.

    `problem`, `advantage` and `economics` are the holder's originals (Chinese, as a
    Chinese holder types them); their English, the application and the figure are in
    `Details` (data/details.json), by the English title.
    `stage` is how far the demo takes it: draft, submitted, rejected, confirmed,
    published or withdrawn.
    """

    field: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    problem: str
    advantage: str
    economics: str
    keywords: tuple[str, ...]
    ipc: tuple[str, ...]
    trl: int
    price_wan: int | None  # asking price in 万元 (10,000 yuan); None = negotiable
    modes: tuple[str, ...]
    patents: tuple[str, ...]  # CN application numbers with their check character, PCT numbers
    stage: str = "published"


@dataclass(frozen=True)
class Org:
    """A fictional organisation of the demo market, named in both scripts."""

    name: str
    name_en: str
    kind: OrganisationKind
    region: str
    fields: tuple[str, ...]  # what it lists (universities, institutes) or looks for (enterprises)
    verified: bool = True


@dataclass(frozen=True)
class Picture:
    """A figure the demo draws for a result (marketplace.demo.pictures), with its alt texts.

    `kind`: "chart" (state of the art against this result, `values` from the listing's
    own numbers, `labels[0]` the measure), "layers" (a cross-section, top layer first),
    "blocks" (a block diagram, in signal order), "molecule" or "plots" (a field trial).
    """

    kind: str
    alt_zh: str
    alt_en: str
    labels: tuple[str, ...] = ()
    values: tuple[float, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class Details:
    """What a result's listing says beyond its title and summary, in English too."""

    application: str
    application_en: str
    problem_en: str
    advantage_en: str
    economics_en: str
    picture: Picture | None = None
