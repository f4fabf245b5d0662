"""Kata: keep personal data away from the model (seed question 147).

Run the checks with:  pytest --katas redact_pii
"""

from __future__ import annotations

from collections.abc import Sequence


def redact_pii(
    texts: Sequence[str],
    names: Sequence[str] = (),
    *,
    mask: str = "[REDACTED]",
) -> list[str]:
    """Replace e-mail addresses, phone numbers and the given names with ``mask``, before any text
    reaches a tokenizer or a model (or a log).

    - An e-mail address: one or more of letters, digits and ``. _ % + -``, then ``@``, then
      dot-separated labels of letters, digits and ``-``, the last one of at least two letters
      (``ada.lovelace+ml@example.co.uk``). It is masked whole, even when it holds a name.
    - A phone number: 7 to 15 digits, maybe after a ``+``, whose groups may be separated by
      one space, dot or dash, with maybe one group in parentheses (``+44 20 7946 0958``,
      ``(555) 123-4567``, ``555.123.4567``, ``0612345678``). Shorter runs of digits (a year,
      a room number) are not phone numbers.
    - A name of ``names``: as a whole word, in any case (``Ada`` masks ``ADA`` and the ``Ada``
      of ``Ada's``, not the start of ``Adam``); its characters are literal (``J.R.`` matches
      only ``J.R.``).

    Args:
        texts: the texts, any sequence; left unchanged.
        names: the people's names to mask.
        mask: what each match becomes.

    Returns:
        A new list, one text per text, each match replaced by ``mask`` and everything else
        as it was.

    Raises:
        ValueError: if a name is empty or only spaces (it would match everywhere).
    """
    # TODO: regular expressions for e-mails and phone numbers, then the names as whole words.
    raise NotImplementedError
