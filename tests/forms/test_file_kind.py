"""The file question kind in the shared form kernel: answers are document ids, a required file
question needs a clean or pending file, a virus or a failed check must be removed, either-or
questions, check-your-answers rows with sizes and states, JSON Schema and start-up checks."""

from dataclasses import dataclass

import pytest

from portal.forms import engine
from portal.forms.checks import check_form
from portal.forms.fields import AttachedFile, EngineContext, FileRules, file_limits
from portal.forms.json_schema import json_schema
from portal.forms.vocabulary import FileState, FormDefinition, Kind, Page, Question, Section


@dataclass(frozen=True)
class PolicyForm(FormDefinition):
    sections: tuple[Section, ...]


STATEMENT = Question(
    "statement_file",
    "Upload the statement",
    Kind.FILE,
    "Upload the statement or type it below",
    or_instead="statement_text",
    max_files=3,
    max_file_bytes=1024,
)
TEXT = Question(
    "statement_text", "Or type it", Kind.LONG_TEXT, "Type it", or_instead="statement_file"
)
PLANS = Question("plans", "Floor plans", Kind.FILE, "Upload the floor plans", hint="One a floor")
FORM = PolicyForm(
    sections=(
        Section(
            "docs",
            "Documents",
            (Page("statement", "Statement", (STATEMENT, TEXT)), Page("plans", "Plans", (PLANS,))),
        ),
    )
)


def attached(
    id_: str, state: FileState | str, name: str = "a.pdf", size: int = 2048
) -> AttachedFile:
    return AttachedFile(id=id_, name=name, size=size, state=FileState(state))


def context(*files: AttachedFile) -> EngineContext:
    return EngineContext(files={f.id: f for f in files}, file_rules=FileRules(".pdf", "PDF"))


def errors(page_key: str, answers: dict, ctx: EngineContext, data: dict | None = None) -> dict:
    form = engine.build_form(
        FORM, FORM.require_page(page_key), answers=answers, context=ctx, data=data or {}
    )
    form.is_valid()
    return dict(form.errors)


def test_the_definition_passes_the_start_up_checks():
    assert check_form(FORM, "policy") == []


def test_a_required_file_question_needs_a_clean_or_pending_file():
    assert errors("plans", {}, context()) == {"plans": ["Upload the floor plans"]}
    for state in (FileState.PENDING, FileState.CLEAN):
        assert errors("plans", {"plans": ["d1"]}, context(attached("d1", state))) == {}


def test_a_file_with_a_virus_or_not_checked_must_be_removed():
    ctx = context(
        attached("ok", FileState.CLEAN),
        attached("bad", FileState.INFECTED, name="eicar.txt"),
        attached("lost", FileState.FAILED, name="big.pdf"),
    )
    found = errors("plans", {"plans": ["ok", "bad", "lost"]}, ctx)
    assert found["plans"] == [
        "‘eicar.txt’ contains a virus. Remove it from this page",
        "‘big.pdf’ could not be checked for viruses. Remove it and upload it again",
    ]


def test_ids_the_client_does_not_know_answer_nothing():
    # Another owner's document id smuggled into the answers is not this draft's file.
    assert errors("plans", {"plans": ["someone-elses"]}, context()) == {
        "plans": ["Upload the floor plans"]
    }


def test_posted_data_never_becomes_a_file_answer():
    form = engine.build_form(
        FORM,
        FORM.require_page("plans"),
        answers={"plans": ["d1"]},
        context=context(attached("d1", FileState.CLEAN)),
        data={"plans": "forged-id"},
    )
    assert form.is_valid()
    # The upload and remove services own the ids: saving the page leaves them alone.
    assert form.page_answers() == {}
    assert form.valid_part() == {}


def test_either_question_answers_the_pair_and_only_the_first_shows_the_error():
    assert errors("statement", {}, context()) == {
        "statement_file": ["Upload the statement or type it below"]
    }
    assert errors("statement", {}, context(), {"statement_text": "Our aims"}) == {}
    assert errors("statement", {"statement_file": ["d1"]}, context(attached("d1", "pending"))) == {}
    # An infected file does not answer it, and must still be removed.
    found = errors(
        "statement",
        {"statement_file": ["d1"]},
        context(attached("d1", FileState.INFECTED)),
        {"statement_text": "Our aims"},
    )
    assert found == {"statement_file": ["‘a.pdf’ contains a virus. Remove it from this page"]}


def test_more_files_than_the_limit_is_an_error():
    files = [attached(f"d{i}", FileState.CLEAN) for i in range(4)]
    found = errors("statement", {"statement_file": [f.id for f in files]}, context(*files))
    assert found == {
        "statement_file": ["You can upload up to 3 files for upload the statement. Remove some"]
    }


def test_limits_come_from_the_question_or_the_settings(settings):
    settings.DOCUMENTS_MAX_FILES_PER_QUESTION = 7
    settings.DOCUMENTS_MAX_FILE_BYTES = 5_000_000
    assert file_limits(STATEMENT) == (3, 1024)
    assert file_limits(PLANS) == (7, 5_000_000)
    field = engine.build_form(
        FORM, FORM.require_page("plans"), answers={}, context=context()
    ).fields["plans"]
    assert field.help_text == (
        "One a floor Each file must be smaller than 4.8 MB and a PDF file. "
        "You can upload up to 7 files."
    )
    assert field.widget.attrs == {"accept": ".pdf"}


def test_check_your_answers_lists_each_file_with_its_size_and_state():
    ctx = context(
        attached("d1", FileState.PENDING, name="plan.pdf", size=1_500_000),
        attached("d2", FileState.CLEAN, name="floor 2.png", size=900),
    )
    sections = engine.summary(FORM, {"plans": ["d1", "d2"], "statement_text": "x"}, ctx)
    rows = {row.question_key: row for section in sections for row in section.rows}
    assert (
        rows["plans"].value == "plan.pdf (1.4 MB, being checked)\nfloor 2.png (900 bytes, checked)"
    )
    assert [f.name for f in rows["plans"].files] == ["plan.pdf", "floor 2.png"]
    assert rows["statement_file"].value == "Not given"


def test_files_still_being_checked_hold_up_sending():
    ctx = context(attached("d1", FileState.PENDING), attached("d2", FileState.CLEAN))
    answers = {"plans": ["d1", "d2"], "statement_text": "x"}
    assert [f.id for f in engine.files_being_checked(FORM, answers, ctx)] == ["d1"]
    assert engine.incomplete_pages(FORM, answers, ctx) == []
    later = context(attached("d1", FileState.CLEAN), attached("d2", FileState.CLEAN))
    assert engine.files_being_checked(FORM, answers, later) == []


def test_json_schema_takes_document_ids_and_one_of_an_either_pair():
    schema = json_schema(FORM, schema_id="x", title="t", description="d")
    assert schema["properties"]["plans"]["type"] == "array"
    assert schema["properties"]["statement_file"]["maxItems"] == 3
    assert schema["required"] == ["plans"]
    assert schema["allOf"] == [
        {"anyOf": [{"required": ["statement_file"]}, {"required": ["statement_text"]}]}
    ]


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            Question("f", "F", Kind.FILE, "Upload", or_instead="nowhere"),
            "'f' may be answered instead by 'nowhere', which is not another question on its page",
        ),
        (
            Question("t", "T", Kind.TEXT, "Enter", max_files=2),
            "'t' has file limits but takes no files",
        ),
        (Question("f", "F", Kind.FILE, "Upload", max_files=0), "'f' has a file limit below 1"),
    ],
)
def test_start_up_checks_refuse_broken_file_questions(question, problem):
    broken = PolicyForm(sections=(Section("s", "S", (Page("p", "P", (question,)),)),))
    assert check_form(broken, "broken") == [f"broken: {problem}"]
