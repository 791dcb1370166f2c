"""The content loader: the real content, and one test per validation rule on broken content."""

import re
from pathlib import Path

import pytest
from minimal_content import FILES, write_minimal_content

from app import create_app
from app.content.loader import ContentError, load_content

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def real_content():
    return load_content(PROJECT_ROOT / "content")


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- The real content ----------------------------------------------------------------------


def test_real_content_has_the_think_tanks_material(real_content):
    assert len(real_content.central_questions) == 6
    assert len(real_content.dilemmas) == 3
    assert [len(d.questions) for d in real_content.dilemmas] == [3, 3, 3]
    assert len(real_content.recommendations) == 5
    assert [r.number for r in real_content.recommendations] == [1, 2, 3, 4, 5]
    assert all(2 <= len(r.check_questions) <= 4 for r in real_content.recommendations)
    assert len(real_content.technologies) == 17
    assert len(real_content.sector_areas) == 5


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents live in ../shared/seeds")
def test_every_seed_question_is_quoted_verbatim(real_content):
    seed_text = normalise(SEEDS.joinpath("000_5fa53e34e68f6e50.txt").read_text(encoding="utf-8"))
    # The extract breaks some words across lines with a hyphen; the content joins them.
    seed_joined = re.sub(r"(\w)- (\w)", r"\1\2", seed_text)
    quoted = [*real_content.central_questions, *(q for d in real_content.dilemmas for q in d.questions)]
    assert len(quoted) == 15
    for question in quoted:
        text = normalise(question.text)
        assert text in seed_text or text in seed_joined, f"not verbatim in seed 000: {text!r}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents live in ../shared/seeds")
def test_recommendation_titles_are_quoted_from_seed_001(real_content):
    seed_text = normalise(SEEDS.joinpath("001_dd7313fbc8b1e430.txt").read_text(encoding="utf-8"))
    for recommendation in real_content.recommendations:
        assert normalise(recommendation.title).lower() in seed_text.lower()


def test_every_question_id_is_unique_and_indexed(real_content):
    ids = [*real_content.questions]
    assert len(ids) == len(set(ids))
    expected = 6 + 9 + sum(len(r.check_questions) for r in real_content.recommendations)
    assert len(ids) == expected


def test_dilemmas_link_to_existing_recommendations(real_content):
    for dilemma in real_content.dilemmas:
        assert dilemma.recommendation_ids
        for ref in dilemma.recommendation_ids:
            assert real_content.recommendation(ref) is not None


def test_every_file_names_its_source(real_content):
    sources = [
        *(s.source for s in real_content.sectors),
        *(d.source for d in real_content.dilemmas),
        *(r.source for r in real_content.recommendations),
        *(t.source for t in real_content.technologies),
    ]
    assert all(source.strip() for source in sources)


def test_rendered_html_is_cached_and_sanitised(real_content):
    recommendation = real_content.recommendations[0]
    assert "<p>" in str(recommendation.body_html)
    assert "<script" not in str(recommendation.body_html)


def test_content_version_changes_with_the_files(tmp_path):
    root = write_minimal_content(tmp_path)
    before = load_content(root).version
    (root / "technologies/01-sensorer.md").write_text(
        FILES["technologies/01-sensorer.md"] + "\nMere tekst.\n", encoding="utf-8"
    )
    assert load_content(root).version != before
    assert len(before) == 16


# --- Broken content: one rule each ---------------------------------------------------------


def problems_for(tmp_path, **overrides) -> str:
    root = write_minimal_content(tmp_path, **overrides)
    with pytest.raises(ContentError) as error:
        load_content(root)
    return str(error.value)


def test_minimal_content_is_valid(tmp_path):
    content = load_content(write_minimal_content(tmp_path))
    assert content.counts()["uddybende spørgsmål"] == 1


def test_missing_content_folder(tmp_path):
    with pytest.raises(ContentError, match="indholdsmappen findes ikke"):
        load_content(tmp_path / "nothing")


def test_missing_required_field_names_file_and_field(tmp_path):
    text = FILES["recommendations/01-tillid.md"].replace('title: "Tillid"\n', "")
    message = problems_for(tmp_path, **{"recommendations/01-tillid.md": text})
    assert "recommendations/01-tillid.md:1: feltet 'title' mangler" in message


def test_wrong_field_type(tmp_path):
    text = FILES["recommendations/01-tillid.md"].replace("number: 1", "number: en")
    message = problems_for(tmp_path, **{"recommendations/01-tillid.md": text})
    assert "feltet 'number' skal være et heltal" in message


def test_invalid_yaml_names_the_line(tmp_path):
    text = FILES["technologies/01-sensorer.md"].replace('title: "Sensorer"', 'title: "Sensorer')
    message = problems_for(tmp_path, **{"technologies/01-sensorer.md": text})
    assert re.search(r"technologies/01-sensorer.md:\d+: ugyldig YAML", message)


def test_missing_front_matter(tmp_path):
    message = problems_for(tmp_path, **{"technologies/01-sensorer.md": "Bare tekst\n"})
    assert "technologies/01-sensorer.md:1: filen skal begynde med YAML front matter" in message


def test_duplicate_id_names_both_files(tmp_path):
    text = FILES["technologies/01-sensorer.md"].replace("id: sensorer", "id: tillid")
    message = problems_for(tmp_path, **{"technologies/01-sensorer.md": text})
    assert "id 'tillid' er brugt før i recommendations/01-tillid.md" in message


def test_duplicate_question_id_across_files(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace("{#privatliv-beskyttelse}", "{#central-vaerdi}")
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "dilemmas/test-sektor/01-privatliv.md:11: id 'central-vaerdi' er brugt før" in message


def test_invalid_id_format(tmp_path):
    text = FILES["technologies/01-sensorer.md"].replace("id: sensorer", "id: Sensorer Og Mere")
    message = problems_for(tmp_path, **{"technologies/01-sensorer.md": text})
    assert "id 'Sensorer Og Mere' er ugyldigt" in message


def test_unresolved_recommendation_reference(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace("[tillid]", "[tillid, findes-ikke]")
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "anbefalingen 'findes-ikke' findes ikke" in message


def test_question_heading_without_id_names_the_line(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace(" {#privatliv-beskyttelse}", "")
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "dilemmas/test-sektor/01-privatliv.md:11: spørgsmålsoverskrift mangler et id" in message


def test_empty_question_text(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace(
        "## Hvordan beskyttes privatlivet? {#privatliv-beskyttelse}", "##  {#privatliv-beskyttelse}"
    )
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "spørgsmålet er tomt" in message


def test_guiding_question_without_explanation(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace("Forklaringen.\n", "")
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "spørgsmålet 'privatliv-beskyttelse' har ingen forklaring" in message


def test_dilemma_without_questions(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].split("## ")[0]
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "dilemmaet har ingen uddybende spørgsmål" in message


def test_empty_recommendation_body(tmp_path):
    text = FILES["recommendations/01-tillid.md"].replace("Teksten om tillid.\n", "")
    message = problems_for(tmp_path, **{"recommendations/01-tillid.md": text})
    assert "recommendations/01-tillid.md:11: anbefalingens tekst er tom" in message


def test_check_question_without_text(tmp_path):
    text = FILES["recommendations/01-tillid.md"].replace('text: "Kan borgerne have tillid?"', 'text: ""')
    message = problems_for(tmp_path, **{"recommendations/01-tillid.md": text})
    assert "kontrolspørgsmål nr. 1 mangler en tekst" in message


def test_sector_without_sector_file(tmp_path):
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/_sector.md": None})
    assert "dilemmas/test-sektor: _sector.md mangler" in message


def test_sector_without_central_questions(tmp_path):
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/00-centrale.md": None})
    assert "sektoren mangler en fil med kind: central" in message


def test_unknown_kind(tmp_path):
    text = FILES["dilemmas/test-sektor/01-privatliv.md"].replace("kind: dilemma", "kind: andet")
    message = problems_for(tmp_path, **{"dilemmas/test-sektor/01-privatliv.md": text})
    assert "ukendt kind 'andet'" in message


def test_missing_folder(tmp_path):
    message = problems_for(tmp_path, **{"technologies/01-sensorer.md": None})
    assert "technologies: mappen med teknologier mangler" in message


def test_all_problems_are_reported_at_once(tmp_path):
    message = problems_for(
        tmp_path,
        **{"technologies/01-sensorer.md": None, "dilemmas/test-sektor/00-centrale.md": None},
    )
    assert "teknologier mangler" in message and "kind: central" in message


def test_broken_content_stops_start_up_with_a_readable_message(tmp_path, capsys):
    root = write_minimal_content(tmp_path, **{"technologies/01-sensorer.md": None})
    with pytest.raises(SystemExit) as stop:
        create_app({"TESTING": True, "CONTENT_DIR": str(root)})
    assert "technologies: mappen med teknologier mangler" in str(stop.value.code)
    assert "Indholdet under CONTENT_DIR kan ikke bruges" in capsys.readouterr().err


def test_content_check_command_prints_counts(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "centrale spørgsmål: 6" in result.output
    assert "teknologikategorier: 17" in result.output


def test_an_english_title_is_optional_and_must_be_text(tmp_path):
    plain = load_content(write_minimal_content(tmp_path / "plain"))
    assert plain.technologies[0].title_en == ""
    text = FILES["technologies/01-sensorer.md"].replace(
        'title: "Sensorer"\n', 'title: "Sensorer"\ntitle_en: "Sensors"\n'
    )
    named = load_content(write_minimal_content(tmp_path / "named", **{"technologies/01-sensorer.md": text}))
    assert (named.technologies[0].title, named.technologies[0].title_en) == ("Sensorer", "Sensors")
    for bad in ('""', "[1]", "7"):
        broken = text.replace('title_en: "Sensors"', f"title_en: {bad}")
        message = problems_for(tmp_path / f"bad{len(bad)}", **{"technologies/01-sensorer.md": broken})
        assert "technologies/01-sensorer.md:1: feltet 'title_en' skal være tekst" in message


def test_the_real_categories_and_areas_have_english_titles(real_content):
    assert all(t.title_en for t in real_content.technologies)
    assert all(a.title_en for a in real_content.sector_areas)


def test_an_area_with_a_bad_english_title_is_named(tmp_path):
    sectors = (PROJECT_ROOT / "content/sectors.md").read_text(encoding="utf-8")
    broken = sectors.replace('title_en: "Employment"', "title_en: 3")
    assert broken != sectors
    message = problems_for(tmp_path, **{"sectors.md": broken})
    assert "sectors.md (sektorområde nr. 5):1: feltet 'title_en' skal være tekst" in message
