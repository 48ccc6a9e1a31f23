"""The compact dictionary cuts exactly as jieba does: same words, same sub-words, same offsets.

Search relevance rests on the index holding what jieba makes of a listing and a query
holding what jieba makes of the query; the compact form (search.text.dictionary) must
not change a single cut. Compared here on the judged corpus, its queries, the demo
market's texts and awkward strings, against jieba's own Tokenizer with the same domain
words added the same way.
"""

from __future__ import annotations

import pytest

from search.text.tokens import add_domain_words, domain_words, jieba

AWKWARD = [
    "",
    " ",
    "\r\n锂电池\r\n正极 材料\t",
    "CN105123456A 锂离子电池3.7V的制备方法",
    "a b c d 1 2 3",
    "石墨烯-硅复合负极材料（纳米级）%5 #7 &8 _9",
    "電池管理系統與奈米塑膠",  # traditional characters
    "新冠冷链吹膜三元正极",  # domain words
    "一" * 300,  # a long run without a word boundary
    "的的的了了了和和",
    "5G通信基站用氮化镓功放芯片及其封装方法和应用",
    "AI人工智能ChatGPT大模型LLM",
]


@pytest.fixture(scope="module")
def pair():
    import jieba as jieba_module

    jieba_module.setLogLevel(60)
    reference = jieba_module.Tokenizer()
    reference.initialize()
    add_domain_words(reference, domain_words())
    return jieba(), reference


def _texts() -> list[str]:
    from bench.judged import LISTINGS, QUERIES
    from marketplace.demo.catalogue import CATALOGUE

    texts = list(AWKWARD)
    for doc in LISTINGS:
        texts += [doc.title_zh, doc.title_en, doc.summary_zh, doc.body]
    texts += [query.text for query in QUERIES]
    for entry in CATALOGUE:
        texts += [str(value) for value in vars(entry).values() if isinstance(value, str)]
    return texts


def test_every_cut_is_jiebas(pair) -> None:
    compact, reference = pair
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        assert list(compact.cut(text, HMM=False)) == list(reference.cut(text, HMM=False)), text
        assert list(compact.cut_for_search(text, HMM=False)) == list(
            reference.cut_for_search(text, HMM=False)
        ), text
        for mode in ("default", "search"):
            assert list(compact.tokenize(text, mode=mode, HMM=False)) == list(
                reference.tokenize(text, mode=mode, HMM=False)
            ), (mode, text)


def test_frequencies_and_total_are_jiebas(pair) -> None:
    compact, reference = pair
    assert compact.total == reference.total
    words = [w for w, n in list(reference.FREQ.items())[::97] if n] + ["新冠", "冷链", "吹膜"]
    for word in words:
        assert compact.FREQ.get(word, 0) == reference.FREQ[word], word
    assert compact.FREQ.get("锂离", 0) == reference.FREQ.get("锂离", 0)  # a prefix only: 0
    assert compact.FREQ.get("zzzz", 0) == 0


def test_hmm_is_refused(pair) -> None:
    compact, _ = pair
    with pytest.raises(ValueError):
        list(compact.cut("锂电池", HMM=True))
