"""English word formation used to look English words up in CC-CEDICT."""

from __future__ import annotations

from search.text.english_forms import american, lemmas, singular, split_prefix


def test_a_plural_is_looked_up_as_its_singular_but_not_words_ending_in_s() -> None:
    assert singular("batteries") == "battery"
    assert singular("sensors") == "sensor"
    assert [singular(w) for w in ("glass", "virus", "analysis")] == ["glass", "virus", "analysis"]


def test_verb_forms_nouns_of_action_and_adjectives_reach_their_base_word() -> None:
    assert "ferment" in lemmas("fermentation")
    assert "sterilize" in lemmas("sterilization")
    assert "stop" in lemmas("stopped")
    assert "spil" not in lemmas("spilled")
    assert "biology" in lemmas("biological")


def test_a_scientific_prefix_is_split_off_only_before_a_word_long_enough() -> None:
    assert split_prefix("nanocellulose") == ("纳米", "cellulose")
    assert split_prefix("bio-film") == ("生物", "film")
    assert split_prefix("nanos") is None  # the rest is too short to be a word
    assert split_prefix("cellulose") is None


def test_british_spellings_have_their_american_forms() -> None:
    pairs = {
        "fibre": "fiber",
        "aluminium": "aluminum",
        "sulphate": "sulfate",
        "colours": "colors",
        "analyse": "analyze",
        "optimisation": "optimization",
        "modelling": "modeling",
        "haemostatic": "hemostatic",
        "mould": "mold",
        "battery": "battery",
    }
    assert {word: american(word) for word in pairs} == pairs
    assert "fiber" in lemmas("fibres")
