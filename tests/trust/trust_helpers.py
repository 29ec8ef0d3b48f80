"""Helpers of the trust tests: a private copy of the sample dataset with its own salt."""

from __future__ import annotations

from pathlib import Path

from sample_copy import TEST_SALT, copy_sample  # noqa: F401 - shared with the other tests


def rewrite_csv(path: Path, change) -> None:
    """Rewrite a CSV of the dataset in place keeping its encoding, BOM, separator and line endings.

    ``change(header, rows)`` edits the list of header names and the list of row lists in place.
    """
    import csv
    import io

    from relief_analytics.load.read import decode_bytes, sniff_delimiter

    data = path.read_bytes()
    text, encoding = decode_bytes(data, path=path)
    delimiter = sniff_delimiter(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], [r for r in rows[1:] if r]
    change(header, body)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    # the csv module leaves a lone CR unquoted when lines end with LF: quote such rows whole,
    # so that the file is a valid CSV that a spreadsheet reads as one record per row
    quoted = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL)
    for row in [header, *body]:
        (quoted if any("\r" in cell or "\n" in cell for cell in row) else writer).writerow(row)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    path.write_bytes(bom + out.getvalue().encode(encoding))
