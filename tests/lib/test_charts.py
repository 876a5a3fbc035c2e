"""The dashboard's SVG bar charts: values as text, patterns per series, escaped labels."""

from platform_site.lib.charts import bar_chart


def test_values_labels_and_description_are_text():
    svg = bar_chart(
        chart_id="c",
        title="紹介と<引き渡し>",
        labels=["4月", "5月"],
        series=[("紹介", [3, 0]), ("引き渡し", [1, None])],
        target=("目標", 5),
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c-t">紹介と&lt;引き渡し&gt;</title>' in svg
    assert "4月: 紹介 3、引き渡し 1。5月: 紹介 0、引き渡し —。目標 5" in svg
    assert 'fill="url(#c-solid)"' in svg and 'fill="url(#c-hatch)"' in svg  # told apart without colour
    assert ">—</text>" in svg  # a missing value is a dash, not a zero bar
    assert 'stroke-dasharray="6 3"' in svg  # the target line


def test_long_labels_are_cut_in_the_chart_only():
    labels = [f"とても長い種類の名前その{i}" for i in range(10)]
    svg = bar_chart(chart_id="l", title="t", labels=labels, series=[("n", list(range(10)))])
    assert "…</text>" in svg
    assert "とても長い種類の名前その9: n 9" in svg  # whole in the description
