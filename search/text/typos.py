"""Typo tolerance as Elasticsearch's fuzziness AUTO has it, and the words it let match."""

from __future__ import annotations

from collections.abc import Sequence

from search.text.tokens import LATIN_WORD, index_token, is_latin, normalise


def auto_fuzziness(term: str) -> int:
    """Edits allowed for a term, as Elasticsearch's fuzziness AUTO: 0 to 2 chars 0, to 5 1, else 2."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (optimal string alignment) distance, giving up past `limit` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def fuzzy_words(text: str, terms: Sequence[str], prefix_length: int = 1) -> list[str]:
    """Words of `text` that match a Latin term only with typos (for highlighting those hits).

    Compares Porter stems with the edit budget of fuzziness AUTO, the first
    `prefix_length` characters exact, as the Elasticsearch query does.
    """
    stems = {index_token(t) for t in terms if is_latin(t)}
    stems = {s for s in stems if auto_fuzziness(s)}
    if not stems:
        return []
    found: list[str] = []
    for word in set(LATIN_WORD.findall(normalise(text))):
        stem = index_token(word)
        if stem in stems:
            continue
        for target in stems:
            if stem[:prefix_length] == target[:prefix_length] and edit_distance(
                stem, target, auto_fuzziness(target)
            ) <= auto_fuzziness(target):
                found.append(word)
                break
    return found
