"""Text analysis shared by the search backends, one concern a module.

- `tokens`: normalisation, Chinese segmentation (jieba), query terms, index tokens;
- `porter`: the Porter stemmer, so Elasticsearch's tokens are FTS5's;
- `clauses`: queries as required clauses, with compound fallbacks and translations
  from the `glossary`;
- `fts5`: clauses as FTS5 MATCH expressions (the embedded backend);
- `highlighting`: snippets with the matched words marked;
- `typos`: typo tolerance as Elasticsearch's fuzziness AUTO;
- `suggestions`: the keys and weights of suggestions as you type.
"""
