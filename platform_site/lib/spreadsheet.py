"""Reading what Japanese offices send and writing what Excel opens safely. No models here."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\0", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a quote to text that a spreadsheet would run as a formula (OWASP ASVS 5.0 §1.2.10).

    Numbers are left alone: only text cells can carry a formula. Text that already starts with
    quotes before a formula sign ('=随時, typed on a screen) gets one more, so that the import,
    which removes one quote (`platform_site.lib.cells.unquote`), gives it back as it was.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith(("=", "+", "@")) and len(value.strip()) > 1


class UndecodableFile(ValueError):
    pass


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Decode a CSV as UTF-8 (with or without BOM) or CP932 (as Excel saves it), without asking.

    CP932, not Shift_JIS: Shift_JIS rejects ①, 髙 and ㈱, which Japanese offices use.
    Returns (text, encoding name). Raises UndecodableFile for binary garbage.
    """
    if b"\x00" in data[:4096]:
        raise UndecodableFile("binary")
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM, sometimes twice (a file saved by two tools)
        try:
            return data[3:].decode("utf-8").lstrip("\ufeff"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UndecodableFile("encoding") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise UndecodableFile("encoding") from exc
    return text, "cp932"
