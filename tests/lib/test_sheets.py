"""Columns, widgets and the header check of platform_site.lib.columns / sheets (no models)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import models
from tablib import Dataset

from platform_site.lib.cells import CellError
from platform_site.lib.columns import (
    BooleanWidget,
    ChoiceWidget,
    Column,
    DateWidget,
    KanaWidget,
    ListColumn,
    NamesWidget,
    PhonesWidget,
    TextWidget,
)
from platform_site.lib.sheets import map_headers, problem_text


class Colour(models.TextChoices):
    RED = "red", "赤"
    BLUE = "blue", "青"


COLUMNS = [
    Column("name", "団体名", TextWidget(required=True), required=True),
    Column("kana", "名称カナ", KanaWidget(), required=True),
    Column("flag", "LGBTQ+", BooleanWidget()),
]


def test_headers_match_in_any_width_and_unknown_columns_are_dropped():
    dataset = Dataset(["あ", "ア", "○", "x"], headers=["メモ", "名称カナ", "ＬＧＢＴＱ＋", "団体名"])
    mapped, problems = map_headers(dataset, COLUMNS)
    assert problems == []
    assert mapped.headers == ["名称カナ", "LGBTQ+", "団体名"]
    assert list(mapped[0]) == ["ア", "○", "x"]


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        (["団体名", "団体名", "名称カナ"], "1行目: 列「団体名」が2つあります。"),
        (["団体名"], "1行目: 必須の列「名称カナ」がありません。"),
        (
            ["name", "kana"],
            "1行目の見出しに、知っている列名がひとつもありません。1行目が見出し（団体名、名称カナ…）か",
        ),
    ],
)
def test_header_problems(headers, problem):
    _mapped, problems = map_headers(Dataset(headers=headers), COLUMNS)
    assert any(p.startswith(problem) for p in problems), problems


def test_problem_text_names_the_line_column_and_value():
    assert problem_text(3, "法人番号", "123", "は13桁の数字で入力してください。") == (
        "3行目: 法人番号「123」は13桁の数字で入力してください。"
    )
    assert problem_text(4, "団体名", "", "が空欄です。") == "4行目: 団体名が空欄です。"
    assert (
        problem_text(5, "所在地", "あ" * 50, "は長すぎます。")
        == f"5行目: 所在地「{'あ' * 40}…」は長すぎます。"
    )


def test_a_column_follows_a_related_object_and_a_list_column_keeps_its_list():
    org = SimpleNamespace(membership=SimpleNamespace(colour=""))
    Column("membership__colour", "色", ChoiceWidget(Colour)).save(org, {"色": "青"})
    assert org.membership.colour == "blue"
    ListColumn("phones", "電話番号", PhonesWidget()).save(org, {"電話番号": "096-000-0001（夜間）"})
    assert org.import_lists == {"phones": [("096-000-0001", "夜間")]}


def test_widgets_render_what_they_read():
    choice = ChoiceWidget(Colour, required=True)
    assert choice.render("red") == "赤" and choice.clean("赤") == "red" and choice.clean("blue") == "blue"
    with pytest.raises(CellError, match="が空欄です（赤・青 のどれかを入れてください）。"):
        choice.clean("")
    assert ChoiceWidget(Colour, default="red").clean("") == "red"
    date = DateWidget()
    assert date.render(date.clean("令和6年4月1日")) == "2024-04-01" and date.render(None) == ""
    boolean = BooleanWidget()
    assert boolean.render(boolean.clean("はい")) == "○" and boolean.render(False) == ""
    phones = PhonesWidget()
    assert (
        phones.render(phones.clean("+81-96-000-0000; 090-0000-0000（携帯）"))
        == "+81-96-000-0000; 090-0000-0000（携帯）"
    )


def test_text_widget_refuses_formulas_blanks_and_length():
    widget = TextWidget(max_length=3, required=True)
    assert widget.clean("'=あ") == "=あ"
    for value, message in (("=A1", "数式"), ("", "が空欄です。"), ("あいうえ", "長すぎます")):
        with pytest.raises(CellError, match=message):
            widget.clean(value)


def test_names_widget_names_every_unknown_name():
    widget = NamesWidget(hint="カテゴリ名", casefold=True)
    red, blue = SimpleNamespace(name="赤"), SimpleNamespace(name="青")
    widget.choices = {"赤": red, "blue": blue}
    assert widget.clean("赤、BLUE; 赤") == [red, blue]
    assert widget.render([red, blue]) == "赤、青"
    with pytest.raises(CellError, match="の「緑」「黄」はありません（カテゴリ名を使ってください）。"):
        widget.clean("赤、緑、黄")


def test_an_excel_date_cell_is_a_date():
    assert DateWidget().clean(dt.datetime(2024, 4, 1)) == dt.date(2024, 4, 1)
