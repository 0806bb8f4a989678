"""Prompt cards and capture vocabulary: the shipped content, overrides, and the validator."""

import json
import re

import pytest

from companion.content import CONTENT_DIR, READINESS_IDS, WARNING_IDS, ContentError, load_content
from companion.vocabulary import EARLY_PHASES, PARTS, PHASES
from tests.support.content import EARLY_DONTS, prompt_toml, write_card

CRISIS_TOPICS = {"drop-out", "hostility", "broken-trust"}


def shipped_markers():
    """The text of the shipped markers.toml."""
    return (CONTENT_DIR / "markers.toml").read_text(encoding="utf-8")


def error_from(extra_dir):
    """The message of the ContentError that loading extra_dir raises."""
    with pytest.raises(ContentError) as info:
        load_content(extra_dir)
    return str(info.value)


# The shipped content


def test_shipped_content_loads_with_at_least_sixty_prompts():
    assert len(load_content().prompts) >= 60


def test_a_missing_instance_folder_changes_nothing(tmp_path):
    assert load_content(tmp_path / "absent") == load_content()


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("part", PARTS)
def test_every_phase_and_part_has_a_card_with_prompts(phase, part):
    card = load_content().card(phase, part)
    assert (card.phase, card.part) == (phase, part)
    assert card.prompts


@pytest.mark.parametrize("phase", EARLY_PHASES)
@pytest.mark.parametrize("part", PARTS)
def test_every_early_card_shows_all_four_early_donts(phase, part):
    card = load_content().card(phase, part)
    assert EARLY_DONTS <= {prompt.id for prompt in card.donts}


def test_later_cards_do_not_show_the_early_donts():
    content = load_content()
    for phase in ("change_work", "crisis"):
        for part in PARTS:
            assert not EARLY_DONTS & {p.id for p in content.card(phase, part).donts}


def test_a_card_separates_donts_from_the_other_prompts():
    card = load_content().card("first_meetings", "middle")
    assert all(prompt.kind != "dont" for prompt in card.prompts)
    assert all(prompt.kind == "dont" for prompt in card.donts)


def test_a_card_lists_its_own_prompts_before_shared_ones():
    card = load_content().card("first_meetings", "middle")
    assert card.donts[0].id == "fm-mid-no-sustain-talk"
    assert card.donts[-1].id in EARLY_DONTS


@pytest.mark.parametrize("part", ["beginning", "middle", "end"])
def test_crisis_cards_cover_drop_out_hostility_and_broken_trust(part):
    card = load_content().card("crisis", part)
    assert {prompt.topic for prompt in card.prompts if prompt.topic} == CRISIS_TOPICS


def test_every_prompt_names_a_source_with_a_year():
    for prompt in load_content().prompts:
        assert re.fullmatch(r"\S.* (19|20)\d\d", prompt.source), prompt.id


def test_prompt_ids_are_unique_across_all_files():
    ids = [prompt.id for prompt in load_content().prompts]
    assert len(ids) == len(set(ids))


def test_only_a_dont_ever_uses_the_word_terrorist():
    for prompt in load_content().prompts:
        if "terrorist" in f"{prompt.text} {prompt.why}".lower():
            assert prompt.kind == "dont", prompt.id


def test_asking_for_an_unknown_phase_or_part_raises_key_error():
    content = load_content()
    with pytest.raises(KeyError):
        content.card("someday", "beginning")
    with pytest.raises(KeyError):
        content.card("crisis", "lunch")


def test_vocabulary_has_the_readiness_and_warning_ids_others_rely_on():
    vocabulary = load_content().vocabulary
    assert {m.id for m in vocabulary.readiness} == set(READINESS_IDS)
    assert {m.id for m in vocabulary.warning} == set(WARNING_IDS)
    assert len(vocabulary.move) >= 8
    assert len(vocabulary.slip) >= 8


def test_vocabulary_tells_the_category_of_a_marker():
    vocabulary = load_content().vocabulary
    assert vocabulary.category_of("fewer_lies") == "readiness"
    assert vocabulary.category_of("hostility") == "warning"
    assert vocabulary.category_of("took_notes") == "slip"
    assert vocabulary.by_id["affirmed"].category == "move"
    with pytest.raises(KeyError):
        vocabulary.category_of("unknown")


# Instance overrides


def test_an_instance_file_with_the_same_name_replaces_the_shipped_one(tmp_path):
    write_card(tmp_path, "crisis.end.toml", prompt_toml(id="team-crisis-end"))
    card = load_content(tmp_path).card("crisis", "end")
    assert [prompt.id for prompt in card.prompts] == ["team-crisis-end"]


def test_an_instance_file_with_a_new_name_adds_prompts(tmp_path):
    body = prompt_toml(id="team-extra", kind="question", text="What helped this week?")
    write_card(tmp_path, "team-extra.toml", body, phases='["change_work"]', parts='["middle"]')
    ids = [prompt.id for prompt in load_content(tmp_path).card("change_work", "middle").prompts]
    assert "team-extra" in ids
    assert "cw-mid-agreed-objectives" in ids


def test_an_instance_markers_file_replaces_the_shipped_vocabulary(tmp_path):
    text = shipped_markers().replace('"Fewer lies"', '"Lies less often"')
    (tmp_path / "markers.toml").write_text(text, encoding="utf-8")
    assert load_content(tmp_path).vocabulary.by_id["fewer_lies"].label == "Lies less often"


def test_multi_line_text_is_tidied_to_one_line(tmp_path):
    body = prompt_toml().replace('"A light start helps."', '"""\nA light\n  start helps.\n"""')
    write_card(tmp_path, "team.toml", body)
    prompt = next(p for p in load_content(tmp_path).prompts if p.id == "team-prompt")
    assert prompt.why == "A light start helps."


# The validator: every error names the file and the entry


def test_unparseable_toml_names_the_file(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "broken.toml").write_text("phases = [\n", encoding="utf-8")
    assert error_from(tmp_path).startswith("broken.toml: not valid TOML")


def test_an_unknown_phase_is_refused(tmp_path):
    write_card(tmp_path, "team.toml", prompt_toml(), phases='["someday"]')
    assert error_from(tmp_path) == "team.toml: phases: unknown phase 'someday'"


def test_an_unknown_part_is_refused(tmp_path):
    write_card(tmp_path, "team.toml", prompt_toml(), parts='["lunch"]')
    assert error_from(tmp_path) == "team.toml: parts: unknown part 'lunch'"


def test_an_empty_phase_list_is_refused(tmp_path):
    write_card(tmp_path, "team.toml", prompt_toml(), phases="[]")
    assert error_from(tmp_path).startswith("team.toml: phases:")


def test_a_duplicate_prompt_id_names_both_files(tmp_path):
    write_card(tmp_path, "aaa-team.toml", prompt_toml(id="fm-beg-introduce"))
    message = error_from(tmp_path)
    assert "prompt 'fm-beg-introduce': duplicate id" in message
    assert "aaa-team.toml" in message
    assert "first_meetings.beginning.toml" in message


@pytest.mark.parametrize("field", ["id", "kind", "text", "why", "source"])
def test_a_prompt_missing_a_required_field_is_refused(tmp_path, field):
    write_card(tmp_path, "team.toml", prompt_toml(**{field: None}))
    entry = "prompt #1" if field == "id" else "prompt 'team-prompt'"
    assert error_from(tmp_path) == f"team.toml: {entry}: missing '{field}'"


@pytest.mark.parametrize("field", ["kind", "text", "why", "source"])
def test_a_prompt_with_an_empty_field_is_refused(tmp_path, field):
    write_card(tmp_path, "team.toml", prompt_toml(**{field: "  "}))
    message = error_from(tmp_path)
    assert message == f"team.toml: prompt 'team-prompt': '{field}' must be non-empty text"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"kind": "maybe"}, "unknown kind 'maybe'"),
        ({"text": "x" * 91}, "text is 91 characters, at most 90"),
        ({"why": "x" * 301}, "why is 301 characters, at most 300"),
        ({"id": "Team_Prompt"}, "bad id"),
        ({"colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_a_bad_prompt_is_refused_naming_file_and_prompt(tmp_path, changes, problem):
    write_card(tmp_path, "team.toml", prompt_toml(**changes))
    prompt_id = changes.get("id", "team-prompt")
    assert error_from(tmp_path).startswith(f"team.toml: prompt '{prompt_id}': {problem}")


def test_text_of_exactly_ninety_characters_is_accepted(tmp_path):
    write_card(tmp_path, "team.toml", prompt_toml(text="x" * 90))
    assert any(p.id == "team-prompt" for p in load_content(tmp_path).prompts)


def test_a_duplicate_marker_id_is_refused(tmp_path):
    extra = '\n[[slip]]\nid = "relaxed"\nlabel = "Relaxed"\nsource = "Durnescu 2024"\n'
    (tmp_path / "markers.toml").write_text(shipped_markers() + extra, encoding="utf-8")
    assert error_from(tmp_path) == "markers.toml: slip 'relaxed': duplicate id, also in readiness"


@pytest.mark.parametrize("field", ["label", "source"])
def test_a_marker_without_label_or_source_is_refused(tmp_path, field):
    extra = {"id": "team_move", "label": "Team move", "source": "Durnescu 2024"}
    del extra[field]
    table = "\n[[move]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in extra.items())
    (tmp_path / "markers.toml").write_text(shipped_markers() + table, encoding="utf-8")
    assert error_from(tmp_path) == f"markers.toml: move 'team_move': missing '{field}'"


def test_a_marker_label_over_thirty_two_characters_is_refused(tmp_path):
    text = shipped_markers().replace('"Fewer lies"', json.dumps("x" * 33))
    (tmp_path / "markers.toml").write_text(text, encoding="utf-8")
    assert error_from(tmp_path).startswith("markers.toml: readiness 'fewer_lies': label is 33")


@pytest.mark.parametrize(
    ("category", "marker_id"), [("readiness", "mirroring"), ("warning", "distrust")]
)
def test_a_missing_required_marker_is_refused(tmp_path, category, marker_id):
    text = shipped_markers().replace(f'id = "{marker_id}"', 'id = "team_renamed"')
    (tmp_path / "markers.toml").write_text(text, encoding="utf-8")
    assert error_from(tmp_path) == f"markers.toml: {category}: missing required id '{marker_id}'"


def test_an_unknown_marker_table_is_refused(tmp_path):
    extra = '\n[[mood]]\nid = "sunny"\nlabel = "Sunny"\nsource = "Durnescu 2024"\n'
    (tmp_path / "markers.toml").write_text(shipped_markers() + extra, encoding="utf-8")
    assert error_from(tmp_path).startswith("markers.toml: unknown table 'mood'")
