"""The dashboards' bar charts: one bar per figure that is not zero, each with its figure in words
(its <title>), the largest figure on the axis, and every word that comes from the data escaped."""

from ancrage.indicators.charts import bar_chart


def test_a_chart_draws_a_bar_per_figure_and_escapes_the_words():
    chart = bar_chart(
        'Jeunes <b>"reçus"</b>',
        ["janv. 2026", "<script>"],
        [("2026 & après", [3, None]), ("2025", [0, 2.5])],
        "euros",
    )
    svg = str(chart.svg)
    assert svg.count("<rect") == 2 + 2  # two bars (3 and 2.5), two legend boxes
    assert "<title>janv. 2026 2026 &amp; après : 3,00 €</title>" in svg
    assert "<title>&lt;script&gt; 2025 : 2,50 €</title>" in svg
    assert "<script>" not in svg and "<b>" not in svg
    assert 'aria-label="Jeunes &lt;b&gt;&quot;reçus&quot;&lt;/b&gt;, par mois' in svg
    assert ">3 €</text>" in svg  # the axis: the largest figure, in whole euros
    assert chart.rows == [("janv. 2026", ["3,00 €", "0,00 €"]), ("<script>", ["—", "2,50 €"])]


def test_a_chart_without_figures_is_an_empty_frame():
    svg = str(bar_chart("Vide", [], [], "events").svg)
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<rect" not in svg


def test_the_data_table_is_what_the_template_drew_word_for_word():
    from django.template import engines

    chart = bar_chart(
        "Jeunes",
        ["janv. 2026", "<script>", "mars & avril"],
        [("2026", [3, None, 1]), ('<b>"2025"</b>', [0, 2.5, None])],
        "euros",
    )
    drawn = engines["django"].from_string(
        '{% for label, values in chart.rows %}<tr><th scope="row" class="fw-normal">{{ label }}'
        '</th>{% for v in values %}<td class="text-end">{{ v }}</td>{% endfor %}</tr>{% endfor %}'
    )
    assert str(chart.table_body) == drawn.render({"chart": chart})
    assert "<script>" not in str(chart.table_body)
