"""`sheetsync form`: the contribution form to create, in the sheet's language — each
question's exact title (the responses tab's column, so sheetsync reads it back), its
type, whether it is required, its choices — and the steps in Google Forms and Framaforms.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from sheetsync.backends.base import Backend
from sheetsync.model import Book
from sheetsync.parse import book as parse
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load
from sheetsync.text import tr

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
TYPES = {
    "date": ("date", "date"),
    "short_answer": ("réponse courte", "short answer"),
    "number": (
        "nombre (réponse courte, validation : nombre)",
        "number (short answer, number validation)",
    ),
    "dropdown": ("liste déroulante", "dropdown"),
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
    title = tr(lang, "Déclarer une contribution", "Declare a contribution")
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
        "person": tr(
            lang,
            "Tel qu'écrit dans l'onglet Personnes. Ou collectez les adresses e-mail et "
            "retirez cette question : l'adresse est cherchée dans la colonne Email.",
            "As written in the People tab. Or collect email addresses and drop this "
            "question: the address is looked up in the Email column.",
        ),
        "hours": tr(
            lang,
            "En heures : 1,5 pour une heure et demie.",
            "In hours: 1.5 for an hour and a half.",
        ),
        "requested": tr(
            lang,
            "Laissez vide pour la valeur de référence (durée × taux journalier).",
            "Leave blank for the reference value (time × daily rate).",
        ),
        "invited_by": tr(
            lang,
            "Seulement pour un travail créa : qui vous a invité.",
            "Only for creative work: who invited you.",
        ),
    }
    return helps.get(key, "")


def _google_steps(lang: Lang, tab: str) -> tuple[str, ...]:
    return (
        tr(
            lang,
            "Ouvrez forms.google.com et créez un formulaire vierge.",
            "Open forms.google.com and create a blank form.",
        ),
        tr(
            lang,
            "Ajoutez les questions ci-dessus, avec leur titre exact, leur type et "
            "« Obligatoire » quand c'est indiqué ; pour une liste déroulante, collez les choix.",
            "Add the questions above, with their exact title and type, and 'Required' where "
            "shown; for a dropdown, paste the choices.",
        ),
        tr(
            lang,
            "Paramètres → Réponses : « Collecter les adresses e-mail » (la personne est "
            "retrouvée par son adresse quand elle ne donne pas son nom).",
            "Settings → Responses: 'Collect email addresses' (a person is found by their "
            "address when they give no name).",
        ),
        tr(
            lang,
            "Onglet Réponses → « Associer à Sheets » → « Sélectionner une feuille de calcul "
            "existante » : choisissez ce tableur. Google crée l'onglet « {tab} ».",
            "Responses tab → 'Link to Sheets' → 'Select existing spreadsheet': choose this "
            "spreadsheet. Google creates the tab '{tab}'.",
            tab=tab,
        ),
        tr(
            lang,
            "Dans cet onglet, ajoutez à droite les colonnes du trésorier (ci-dessus).",
            "In that tab, add the treasurer's columns (above) at the right.",
        ),
    )


def _frama_steps(lang: Lang, tab: str) -> tuple[str, ...]:
    return (
        tr(
            lang,
            "Sur framaforms.org, créez un formulaire et ajoutez les questions ci-dessus "
            "(champs « date », « texte court », « nombre », « liste de sélection »).",
            "On framaforms.org, create a form and add the questions above ('date', 'short "
            "text', 'number', 'select list' fields).",
        ),
        tr(
            lang,
            "Pour lire les réponses : Résultats → Téléchargement, au format tableur, puis "
            "importez le fichier dans ce tableur comme un onglet nommé « {tab} ».",
            "To read the answers: Results → Download as a spreadsheet, then import the file "
            "into this spreadsheet as a tab named '{tab}'.",
            tab=tab,
        ),
        tr(
            lang,
            "À chaque nouvel export, remplacez les lignes de l'onglet en gardant les "
            "colonnes du trésorier alignées sur les mêmes réponses.",
            "At each new export, replace the tab's rows, keeping the treasurer's columns "
            "aligned with the same responses.",
        ),
    )


def as_text(form: Form) -> str:
    lang = form.lang
    required = tr(lang, "obligatoire", "required")
    optional = tr(lang, "facultative", "optional")
    lines = [
        form.title,
        "",
        tr(
            lang,
            "Questions (titres exacts : sheetsync les reconnaît par leur titre) :",
            "Questions (exact titles: sheetsync recognises them by their title):",
        ),
    ]
    for number, q in enumerate(form.questions, start=1):
        kind = TYPES[q.type][0 if lang == "fr" else 1]
        lines.append(f"{number}. {q.title} — {kind} — {required if q.required else optional}")
        if q.choices:
            lines.append("   " + tr(lang, "Choix : {c}", "Choices: {c}", c=", ".join(q.choices)))
        if q.help:
            lines.append("   " + tr(lang, "Aide : {h}", "Help: {h}", h=q.help))
    lines += [
        "",
        tr(
            lang,
            "Colonnes du trésorier, à droite de l'onglet des réponses :",
            "The treasurer's columns, at the right of the responses tab:",
        ),
    ]
    lines += [f"- {title} ({', '.join(values)})" for title, values in form.treasurer_columns]
    lines += ["", "Google Forms :" if lang == "fr" else "Google Forms:"]
    lines += [f"{n}. {step}" for n, step in enumerate(form.google_forms, start=1)]
    lines += ["", "Framaforms :" if lang == "fr" else "Framaforms:"]
    lines += [f"{n}. {step}" for n, step in enumerate(form.framaforms, start=1)]
    return "\n".join(lines)


def as_json(form: Form) -> str:
    document = asdict(form)
    document["treasurer_columns"] = [
        {"title": title, "values": list(values)} for title, values in form.treasurer_columns
    ]
    return json.dumps(document, ensure_ascii=False, indent=2)
