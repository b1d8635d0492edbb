"""The command line's help in French: `--help` speaks the environment's language
(LC_ALL / LANG, French by default), since no spreadsheet is read yet.

Each English help text of the commands and options (their docstrings and `help=`)
has its French text here; a test fails when one is missing.
"""

from __future__ import annotations

import click

from sheetsync import display

FRENCH = {
    "Contributive budgets: check a spreadsheet and write exact summary tabs. TARGET is a "
    "local workbook (book.xlsx) or a Google spreadsheet (its URL or gsheet:<ID>).": (
        "Budgets contributifs : vérifie un tableur et écrit des onglets de synthèse "
        "exacts.\n\nTARGET est un classeur local (budget.xlsx) ou un tableur Google (son "
        "adresse ou gsheet:<ID>)."
    ),
    "Show the version and exit.": "Affiche la version et s'arrête.",
    "Show this message and exit.": "Affiche cette aide et s'arrête.",
    "Show the time each stage takes.": "Affiche le temps de chaque étape.",
    "Create the template tabs (and the workbook, for a new .xlsx).": (
        "Crée les onglets du modèle (et le classeur, pour un nouveau .xlsx)."
    ),
    "Language of the tabs and columns.": "Langue des onglets et des colonnes.",
    "Fill the tabs with an example network.": "Remplit les onglets d'un réseau d'exemple.",
    "Service-account JSON key for Google Sheets (default: application credentials).": (
        "Clé JSON de compte de service pour Google Sheets (par défaut : les identifiants "
        "de l'application)."
    ),
    "Read and validate the spreadsheet; write nothing.": (
        "Lit et vérifie le tableur, sans rien écrire."
    ),
    "An earlier period by its closing's label, exactly as frozen (default: the current period).": (
        "Un exercice antérieur, par le libellé de sa clôture, tel que figé (par défaut : la "
        "période en cours)."
    ),
    "Compute as of this date (31/03/2026 or 2026-03-31) instead of today.": (
        "Calcule à cette date (31/03/2026 ou 2026-03-31) au lieu d'aujourd'hui."
    ),
    "Print the result as JSON.": "Affiche le résultat en JSON.",
    "Exit 1 when any anomaly has error severity.": (
        "Sort avec le code 1 si une anomalie est une erreur."
    ),
    "List every anomaly, not only the first 20.": (
        "Liste toutes les anomalies, pas seulement les 20 premières."
    ),
    "Compute the books and write the summary tabs (only when they changed).": (
        "Calcule les comptes et écrit les onglets de synthèse (seulement s'ils ont changé)."
    ),
    "Compute and show, but write nothing.": "Calcule et affiche, sans rien écrire.",
    "Close a period: freeze its figures into a closing tab (refused while rows in it "
    "carry errors, unless --force).": (
        "Clôture une période : fige ses chiffres dans un onglet de clôture (refusé tant "
        "que des lignes de la période sont en erreur, sauf --force)."
    ),
    "Freeze every contribution and payment dated up to this day (31/03/2026 or 2026-03-31).": (
        "Fige toutes les contributions et tous les versements datés jusqu'à ce jour "
        "(31/03/2026 ou 2026-03-31)."
    ),
    "Name of the closing and of its tab (default: the --until date).": (
        "Nom de la clôture et de son onglet (par défaut : la date --until)."
    ),
    "Show what would be frozen; write nothing.": ("Montre ce qui serait figé, sans rien écrire."),
    "Close even though rows in the range carry errors.": (
        "Clôture même si des lignes de la période sont en erreur."
    ),
    "Undo the latest closing, recording why; its rows are computed again.": (
        "Annule la dernière clôture en notant pourquoi ; ses lignes sont recalculées."
    ),
    "The closing to undo (its label).": "La clôture à annuler (son libellé).",
    "Why it is reopened; kept in the journal.": ("Pourquoi elle est rouverte ; noté au journal."),
    "Show the figures once reopened; write nothing.": (
        "Montre les chiffres une fois rouverte, sans rien écrire."
    ),
    "Build a realistic example workbook in DIRECTORY, sync it, show the summary.": (
        "Construit un classeur d'exemple réaliste dans DIRECTORY, le synchronise et "
        "affiche la synthèse."
    ),
    "Google credentials: which identity sheetsync uses.": (
        "Identifiants Google : quelle identité sheetsync utilise."
    ),
    "Say which identity is used, its email (to share sheets with), and TARGET's access.": (
        "Dit quelle identité est utilisée, son adresse (avec qui partager les tableurs) "
        "et ses droits sur TARGET."
    ),
    "Nightly jobs: sync every spreadsheet listed in a job file (see docs/JOBS.md).": (
        "Tâches nocturnes : synchronise chaque tableur d'un fichier de tâches (voir docs/JOBS.md)."
    ),
    "Sync every sheet of job FILE; exit 1 if any failed, 3 if FILE is invalid.": (
        "Synchronise chaque tableur du fichier FILE ; code 1 si l'un a échoué, 3 si FILE "
        "est invalide."
    ),
    "Run only this sheet (repeat for several).": (
        "Seulement ce tableur (à répéter pour plusieurs)."
    ),
    "Append one JSON line per sheet to this file (default: the job file's `log`).": (
        "Ajoute une ligne JSON par tableur à ce fichier (par défaut : le `log` du fichier "
        "de tâches)."
    ),
    "Sheets synced at once (default: the job file's, else 1).": (
        "Tableurs synchronisés en même temps (par défaut : celui du fichier de tâches, sinon 1)."
    ),
    "Compute every sheet, but write nothing.": "Calcule chaque tableur, sans rien écrire.",
    "Show the last run in LOG_FILES (files, or folders of *.jsonl), per sheet; exit 1 if a "
    "sheet failed, a run is incomplete or a share has no run.": (
        "Montre la dernière exécution de LOG_FILES (des fichiers, ou des dossiers de "
        "*.jsonl), tableur par tableur ; code 1 si l'un a échoué, si une exécution est "
        "incomplète ou si une part n'a pas d'exécution."
    ),
    "Run only share K of N of the sheets (1 <= K <= N), fixed by each sheet's name.": (
        "N'exécute que la part K sur N des tableurs (1 <= K <= N), fixée par le nom de "
        "chaque tableur."
    ),
    "Export groups, people, payouts, contributions or anomalies for accounting.": (
        "Exporte les groupes, personnes, paiements, contributions ou anomalies pour la "
        "comptabilité."
    ),
    "csv (UTF-8 with BOM, ';' in French) or xlsx (one tab).": (
        "csv (UTF-8 avec BOM, « ; » en français) ou xlsx (un onglet)."
    ),
    "File to write (default: CSV on the terminal; required for xlsx).": (
        "Fichier à écrire (par défaut : le CSV dans le terminal ; obligatoire pour xlsx)."
    ),
    "A statement of a person's (or a payee's) contributions, payable, paid and "
    "balance over the period, to attach to an invoice.": (
        "Le relevé des contributions d'une personne (ou d'un bénéficiaire) sur la période, "
        "de ce qui lui est dû, versé et du solde, à joindre à une facture."
    ),
    "The person's name, as in the spreadsheet.": "Le nom de la personne, comme dans le tableur.",
    "A billing entity (or a person paid directly): its invoice's statement.": (
        "Une structure de facturation (ou une personne payée directement) : le relevé de "
        "sa facture."
    ),
    "File to write: .md, .html or .pdf (default: Markdown on the terminal).": (
        "Fichier à écrire : .md, .html ou .pdf (par défaut : du Markdown dans le terminal)."
    ),
    "Write the public page of the budget (index.html, self-contained) and its open data "
    "(budget.json); nobody is named without their consent.": (
        "Écrit la page publique du budget (index.html, autonome) et ses données ouvertes "
        "(budget.json) ; personne n'y est nommé sans son accord."
    ),
    "Folder to write index.html and budget.json into.": (
        "Dossier où écrire index.html et budget.json."
    ),
    "Print the contribution form to create (questions, types, choices) and how to link its "
    "answers to the spreadsheet, in the sheet's language.": (
        "Affiche le formulaire de déclaration à créer (questions, types, choix) et comment "
        "relier ses réponses au tableur, dans la langue du tableur."
    ),
    "Print the form as JSON.": "Affiche le formulaire en JSON.",
    "Email the people silent for `Jours avant relance` days and the pilots whose group needs "
    "them (SMTP settings: docs/FORMS.md); each silence is reminded once.": (
        "Écrit aux personnes silencieuses depuis `Jours avant relance` jours et aux pilotes "
        "dont le groupe a besoin d'eux (réglages SMTP : docs/FORMS.md) ; chaque silence "
        "n'est relancé qu'une fois."
    ),
    "Print the messages instead of sending them.": ("Affiche les messages au lieu de les envoyer."),
}


def key(text: str) -> str:
    """A help text as the catalogue holds it: whitespace as single spaces."""
    return " ".join(text.split())


def helps(command: click.Command) -> list[tuple[object, str]]:
    """Every help text of a command, its options and its subcommands: (owner, text)."""
    found: list[tuple[object, str]] = [(command, command.help)] if command.help else []
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            found.append((param, text))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += helps(sub)
    return found


def translate(command: click.Command) -> None:
    """Put the French help in place when the environment's language is French."""
    if display.environment_lang() != "fr":
        return
    for owner, text in helps(command):
        french = FRENCH.get(key(text))
        if french is not None:
            owner.help = french  # type: ignore[attr-defined]
