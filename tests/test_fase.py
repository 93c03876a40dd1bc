"""Free-text fase values map to the two contract values, or to nothing."""

import pytest

from bot.nlu.fase import normalise_fase


@pytest.mark.parametrize(
    "value, expected",
    [
        ("doorverwezen", "doorverwezen"),
        ("gemeld", "gemeld"),
        ("Gemeld bij Veilig Thuis", "gemeld"),
        ("melding bij VT gedaan", "gemeld"),
        ("VT-melding", "gemeld"),
        ("aangemeld bij Veilig Thuis", "gemeld"),
        ("aangemeld bij jeugdhulp", "doorverwezen"),
        ("doorverwezen naar het wijkteam", "doorverwezen"),
        ("verwezen naar de GGZ", "doorverwezen"),
        ("doorverweze", "doorverwezen"),
        ("overgedragen aan het CJG", "doorverwezen"),
        ("melding gedaan", "gemeld"),
        ("geen idee", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_normalise_fase(value, expected):
    assert normalise_fase(value) == expected
