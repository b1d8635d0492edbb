"""An Email cell is one address or an AddressError saying why: what parse_address takes,
what it refuses, and that nothing it returns can carry a second header or recipient."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetsync.errors import AddressError
from sheetsync.parse.addresses import (
    CONTROL,
    MALFORMED,
    NO_AT,
    SEVERAL,
    for_smtp,
    is_invisible,
    parse_address,
    shown,
)


@pytest.mark.parametrize(
    ("cell", "address"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  ana@example.org  ", "ana@example.org"),
        ("ana@example.org\n", "ana@example.org"),  # a trailing line break
        ("ana@example.org\r\n", "ana@example.org"),
        ("ana@example.org\u2028", "ana@example.org"),  # a trailing line separator
        ("\tana@example.org", "ana@example.org"),
        ("Ana Lopez <ana@example.org>", "ana@example.org"),  # a display name: its address
        ('"Lopez, Ana" <ana@example.org>', "ana@example.org"),
        ("<ana@example.org>", "ana@example.org"),
        ("ana.lopez+budget@mail.example.org", "ana.lopez+budget@mail.example.org"),
        ("josé@café.fr", "josé@café.fr"),
    ],
)
def test_one_address_is_read(cell: str, address: str) -> None:
    assert parse_address(cell) == address


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("ana@example.org\nBcc: all@example.org", SEVERAL),
        ("ana@example.org\nbo@example.org", SEVERAL),  # two lines of one cell
        ("ana@example.org, bo@example.org", SEVERAL),
        ("ana@example.org;bo@example.org", SEVERAL),
        ("ana@example.org bo@example.org", SEVERAL),
        ("Ana <ana@example.org>, bo@example.org", SEVERAL),
        ("ana", NO_AT),
        ("ana.example.org", NO_AT),
        ("ana@example.org\nBcc: nobody", CONTROL),  # a line break inside
        ("ana@exa\x00mple.org", CONTROL),
        ("ana\u200b@example.org", CONTROL),  # a zero-width space
        ("ana@example", MALFORMED),
        ("ana@@example.org", MALFORMED),
        ("ana.@example.org", MALFORMED),
        ("ana@-example.org", MALFORMED),
        ("ana@1.2", MALFORMED),
        ("mailto:ana@example.org", MALFORMED),
        ("Lopez, Ana <ana@example.org>", MALFORMED),  # reads as two recipients
        ("ana@example.org>", MALFORMED),
        ("a" * 65 + "@example.org", MALFORMED),
    ],
)
def test_anything_else_is_refused_with_its_reason(cell: str, reason: str) -> None:
    with pytest.raises(AddressError) as refused:
        parse_address(cell)
    assert refused.value.reason == reason


def test_a_non_ascii_domain_goes_to_the_server_in_ascii() -> None:
    assert for_smtp("ana@café.fr") == "ana@xn--caf-dma.fr"
    assert for_smtp("ana@example.org") == "ana@example.org"


def test_line_breaks_are_shown_in_one_line() -> None:
    assert shown("a@b.org\r\nBcc: c\x07") == "a@b.org\u2424Bcc: c\u2407"


@given(st.text(alphabet=st.sampled_from("ab@.<>,; \n\r\t\x00\u200b\"'Bc:-")))
def test_what_is_read_is_one_address_that_no_header_can_be_made_of(text: str) -> None:
    try:
        address = parse_address(text)
    except AddressError:
        return
    assert address.count("@") == 1
    assert not any(is_invisible(c) or c in ' ,;<>"' for c in address)
