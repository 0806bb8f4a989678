"""Content in German: every shipped prompt, marker, debrief prompt and anchor has its German
text, a missing one shows the English text marked, and a team adapts texts per language."""

import pytest
from flask_babel import force_locale

from companion import content
from companion.content import CONTENT_DIR, ContentError, load_content
from companion.content.languages import FALLBACK, load_languages, read_translation
from tests.support.content import prompt_toml, write_card


def german(extra=None):
    english = load_content(extra)
    return english, load_languages(english, ("en", "de"), extra, CONTENT_DIR)["de"]


def test_every_shipped_text_has_a_german_one():
    english, de = german()
    texts = [p.text for p in de.prompts] + [p.why for p in de.prompts]
    texts += [m.label for m in de.vocabulary.by_id.values()]
    texts += list(de.debrief_prompts.values())
    texts += [a for s in de.dimension_scales.values() for a in s.anchors.values()]
    assert texts and not [t for t in texts if t.startswith(FALLBACK)]
    assert {p.id: p.source for p in de.prompts} == {p.id: p.source for p in english.prompts}
    assert de.prompts[0].text != english.prompts[0].text


def test_a_prompt_without_german_shows_the_english_text_marked(tmp_path):
    write_card(tmp_path, "team.toml", prompt_toml(text="Ask how their week went."))
    _, de = german(tmp_path)
    team = next(p for p in de.prompts if p.id == "team-prompt")
    assert team.text == FALLBACK + "Ask how their week went."
    assert team.why == FALLBACK + "A light start helps."


def test_a_team_adapts_one_german_text_and_keeps_the_rest(tmp_path):
    (tmp_path / "de.toml").write_text(
        '[prompt.fm-beg-introduce]\ntext = "Stellen Sie sich mit Vornamen vor."\n'
        '[marker.relaxed]\nlabel = "Locker"\n', encoding="utf-8")
    _, shipped = german()
    _, de = german(tmp_path)
    by_id = {p.id: p for p in de.prompts}
    assert by_id["fm-beg-introduce"].text == "Stellen Sie sich mit Vornamen vor."
    assert by_id["fm-beg-introduce"].why == {p.id: p for p in shipped.prompts}[
        "fm-beg-introduce"].why
    assert de.vocabulary.by_id["relaxed"].label == "Locker"


@pytest.mark.parametrize("body, problem", [
    ('[prompt.x]\ntext = "' + "a" * 91 + '"\n', "longer than 90"),
    ('[prompt.x]\ntitle = "Hallo"\n', "unknown field 'title'"),
    ('[cards]\nx = 1\n', "unknown table 'cards'"),
    ('[debrief]\nrating = "Sie haben {mine} vergeben."\n', "placeholders"),
    ('[prompt.x\n', "not valid TOML"),
])
def test_a_bad_translation_file_is_refused_naming_the_problem(tmp_path, body, problem):
    (tmp_path / "de.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ContentError, match=problem):
        english = load_content()
        load_languages(english, ("de",), tmp_path, CONTENT_DIR)


def test_the_shipped_translation_names_only_entries_that_exist():
    english = load_content()
    table = read_translation(CONTENT_DIR / "de.toml")
    assert set(table["prompt"]) == {p.id for p in english.prompts}
    assert set(table["marker"]) == set(english.vocabulary.by_id)
    assert set(table["debrief"]) == set(english.debrief_prompts)


def test_the_app_serves_the_readers_language(app):
    with app.test_request_context(), force_locale("de"):
        card = content.current().card("first_meetings", "beginning")
        assert "Sagen Sie, wer Sie sind" in card.prompts[0].text
    with app.test_request_context(), force_locale("en"):
        assert content.current() is app.extensions["content"]
