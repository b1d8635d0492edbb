"""`sheetsync form`: the contribution form to create, in the sheet's language — each
question's exact title (the responses tab's column, so sheetsync reads it back), its
type, whether it is required, its choices — and the steps in Google Forms and Framaforms.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from sheetsync.backends.base import Backend
from sheetsync.messages import say
from sheetsync.model import Book
from sheetsync.parse import book as parse
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load

# The responses tab's columns the form asks, with the question's type and whether it
# is required; Horodateur and Adresse e-mail come with the form, Statut and Exception
# are the treasurer's.
QUESTIONS = (
    ("date", "date", True),
    ("person", "short_answer", True),
    ("group", "dropdown", True),
    ("kind", "dropdown", False),
    ("hours", "number", True),
    ("requested", "number", False),
    ("description", "short_answer", False),
    ("invited_by", "short_answer", False),
)
TYPES = {  # a question's type, as the form tools name it
    "date": "intake.form.type.date",
    "short_answer": "intake.form.type.short_answer",
    "number": "intake.form.type.number",
    "dropdown": "intake.form.type.dropdown",
}


@dataclass(frozen=True)
class Question:
    title: str
    type: str  # date, short_answer, number, dropdown
    required: bool
    choices: tuple[str, ...]
    help: str


@dataclass(frozen=True)
class Form:
    lang: Lang
    title: str
    questions: tuple[Question, ...]
    treasurer_columns: tuple[tuple[str, tuple[str, ...]], ...]  # (title, values)
    google_forms: tuple[str, ...]
    framaforms: tuple[str, ...]


def read_book(backend: Backend, as_of: dt.date) -> Book:
    """The spreadsheet's input tabs, parsed (groups, settings, language); nothing written."""
    raw = backend.read(pipeline.is_input_title)
    if isinstance(raw, pipeline.Deferred):
        raw.complete()  # dates shown as text typed (Google): the settings' period
    return parse.read_template(raw, as_of)


def describe(book: Book) -> Form:
    """The form for this spreadsheet: its groups as the Groupe choices, its language."""
    lang, tab, enums = book.lang, load().input("responses"), load().enums
    choices = {
        "group": tuple(g.name for g in book.groups),
        "kind": tuple(enums["kind"].labels(lang)),
    }
    questions = tuple(
        Question(
            _title(book, tab.column(key).name(lang), key),
            kind,
            required,
            choices.get(key, ()),
            _help(key, lang),
        )
        for key, kind, required in QUESTIONS
    )
    treasurer = tuple(
        (tab.column(key).name(lang), tuple(enums[enum].labels(lang)))
        for key, enum in (("status", "status"), ("exception", "bool"))
    )
    title = say(lang, "intake.form.declare_contribution")
    return Form(
        lang,
        title,
        questions,
        treasurer,
        _google_steps(lang, tab.name(lang)),
        _frama_steps(lang, tab.name(lang)),
    )


def _title(book: Book, title: str, key: str) -> str:
    """The amount question names the sheet's currency when it is not the euro."""
    if key == "requested" and book.settings.currency != "EUR":
        return title.replace("(€)", "").strip()
    return title


def _help(key: str, lang: Lang) -> str:
    helps = {
        "person": say(
            lang,
            "intake.form.written_people_tab_collect_email",
            people=load().input("people").name(lang),
            email=load().input("people").column("email").name(lang),
        ),
        "hours": say(lang, "intake.form.hours_1_5_hour_half"),
        "requested": say(lang, "intake.form.leave_blank_reference_value_time"),
        "invited_by": say(lang, "intake.form.only_creative_work_who_invited"),
    }
    return helps.get(key, "")


def _google_steps(lang: Lang, tab: str) -> tuple[str, ...]:
    return (
        say(lang, "intake.form.open_forms_google_com_create"),
        say(lang, "intake.form.add_questions_above_their_exact"),
        say(lang, "intake.form.settings_responses_collect_email_addresses"),
        say(lang, "intake.form.responses_tab_link_sheets_select", tab=tab),
        say(lang, "intake.form.tab_add_treasurer_s_columns"),
    )


def _frama_steps(lang: Lang, tab: str) -> tuple[str, ...]:
    return (
        say(lang, "intake.form.framaforms_org_create_form_add"),
        say(lang, "intake.form.read_answers_results_download_spreadsheet", tab=tab),
        say(lang, "intake.form.each_new_export_replace_tab"),
    )


def as_text(form: Form) -> str:
    lang = form.lang
    required = say(lang, "intake.form.required")
    optional = say(lang, "intake.form.optional")
    lines = [
        form.title,
        "",
        say(lang, "intake.form.questions_exact_titles_sheetsync_recognises"),
    ]
    for number, q in enumerate(form.questions, start=1):
        kind = say(lang, TYPES[q.type])
        lines.append(f"{number}. {q.title} — {kind} — {required if q.required else optional}")
        if q.choices:
            lines.append("   " + say(lang, "intake.form.choices", c=", ".join(q.choices)))
        if q.help:
            lines.append("   " + say(lang, "intake.form.help", h=q.help))
    lines += [
        "",
        say(lang, "intake.form.treasurer_s_columns_right_responses"),
    ]
    lines += [f"- {title} ({', '.join(values)})" for title, values in form.treasurer_columns]
    lines += ["", say(lang, "intake.form.tool_heading", tool="Google Forms")]
    lines += [f"{n}. {step}" for n, step in enumerate(form.google_forms, start=1)]
    lines += ["", say(lang, "intake.form.tool_heading", tool="Framaforms")]
    lines += [f"{n}. {step}" for n, step in enumerate(form.framaforms, start=1)]
    return "\n".join(lines)


def as_json(form: Form) -> str:
    document = asdict(form)
    document["treasurer_columns"] = [
        {"title": title, "values": list(values)} for title, values in form.treasurer_columns
    ]
    return json.dumps(document, ensure_ascii=False, indent=2)
