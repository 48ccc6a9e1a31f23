"""Open licences of patents (专利开放许可, 专利法 Art. 50–52): declarations, their review and
catalogue, licences obtained by notice and payment."""
