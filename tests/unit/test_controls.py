"""The accessible controls' Python side: values, limits, names, and what the views give them."""
import pytest
import traitlets

from ctopath import registry
from ctopath.engine import controls
from ctopath.engine.exercise import STATUSES, Feedback
from ctopath.engine.progress import ProgressStore
from ctopath.engine.widgets import ExerciseView, _feedback_html


def test_a_slider_keeps_its_value_inside_its_limits_and_counts_decimals_from_its_step():
    s = controls.FloatSlider(value=5, min=0, max=10, step=0.05, description="Churn (%):")
    assert (s.value, s.decimals) == (5, 2)
    s.value = 99
    assert s.value == 10
    s.value = -1
    assert s.value == 0
    assert controls.FloatSlider(min=2, max=4, step=1).value == 2  # no value given: the minimum


def test_an_int_slider_holds_whole_numbers():
    s = controls.IntSlider(value=3, min=1, max=5, description="coding:")
    assert s.value == 3 and isinstance(s.value, int) and s.decimals == 0
    with pytest.raises(traitlets.TraitError):
        s.value = 2.5


def test_a_log_slider_is_limited_by_powers_of_its_base():
    s = controls.FloatLogSlider(value=2000, base=10, min=2, max=4, step=0.05, description="Sales line:")
    assert s.value == 2000 and s.log_base == 10
    s.value = 1e6
    assert s.value == 10_000
    assert controls.FloatLogSlider(base=10, min=2, max=4, step=0.05).value == 100


def test_a_radio_group_takes_only_its_own_options():
    r = controls.RadioButtons(options=[("Yes", "y"), ("No", "n")], value=None, description="Ship it?")
    r.value = "n"
    assert r.value == "n"
    with pytest.raises(traitlets.TraitError):
        r.value = "maybe"
    r.value = None
    assert r.value is None


def test_a_chart_has_a_text_alternative_only_while_it_shows_an_image():
    c = controls.Chart()
    c.show(b"\x89PNG...", "A bar chart of GMV by month.")
    assert c.value and c.alt == "A bar chart of GMV by month."
    c.show(None, "ignored")
    assert c.value == b"" and c.alt == ""


def test_every_status_has_an_svg_icon_hidden_from_screen_readers_and_its_words_stay():
    for status in STATUSES:
        html = _feedback_html(Feedback(status, 0.5, "message"))
        assert '<svg class="ctopath-icon"' in html and 'aria-hidden="true"' in html
        assert Feedback(status, 0.5, "m").label in html
        assert 'role="status"' not in html  # the live region around it carries the role


def test_views_use_the_named_controls(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    choice = ExerciseView(registry()["00.1"], store)
    assert isinstance(choice.input.widget, controls.RadioButtons)
    assert choice.ex.title in choice.input.widget.question  # the group is named by the question
    assert isinstance(choice.feedback, controls.LiveHTML)
    model = ExerciseView(registry()["03.8"], store)
    assert all(isinstance(s, controls.FloatSlider) and s.description for s in model.input.sliders.values())
    figures = model.ex.evaluate(model.ex.validate(model.input.get())).metrics
    assert model.input.chart.value and all(k in model.input.chart.alt for k in list(figures)[:4])
