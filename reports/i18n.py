"""Report labels in English and German; reports pick by the strategy's language."""

from __future__ import annotations

from zahnrad.strategy import GOAL_TITLES

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Social intranet evaluation",
        "for": "for",
        "created": "Created",
        "policy": "Unknown scores",
        "policy.pessimistic": "pessimistic (counted as 0)",
        "policy.neutral": "neutral (counted as 2.5)",
        "policy.exclude": "excluded (weights renormalised over what is known)",
        "ranking": "Ranking",
        "rank": "Rank",
        "vendor": "Vendor",
        "platform": "Platform",
        "total": "Total (0–100)",
        "coverage": "Evidence coverage",
        "unknown": "Unknown scores",
        "knocked_out": "knocked out",
        "status": "Status",
        "ranked": "ranked",
        "goal_weights": "Goal weights",
        "goal": "Goal",
        "weight": "Weight",
        "consistency": "AHP consistency ratio",
        "aspects": "Subtotals per aspect (0–100)",
        "goals": "Subtotals per goal (0–100)",
        "aspect": "Aspect",
        "matrix": "Matrix (scores 0–5; ? = unknown)",
        "requirement": "Requirement",
        "must_haves": "Must-haves",
        "passed": "passed",
        "failed": "failed",
        "unverified": "unverified",
        "requirements": "Requirements derived from the strategy",
        "facts": "Facts used",
        "shared": "Shared with",
        "evidence": "Evidence behind the scores",
        "criterion": "Criterion",
        "score": "Score",
        "source": "Source",
        "detail": "How",
        "warnings": "Warnings",
        "none": "none",
        "winner": "Recommended",
        "method": "Method",
        "method_text": (
            "Goals and their priorities come from the organisation's strategy. Each goal's weight "
            "is spread over the criteria that serve it. Each criterion scores a vendor 0–5 against "
            "fixed levels described in the criteria catalog, from facts probed on the platform's "
            "API or from manual answers. Totals are weighted sums on 0–100; they do not depend on "
            "which other vendors are compared. A vendor failing a must-have is knocked out but "
            "still shown."
        ),
        "editability": "Editability",
        "flexibility": "Flexibility",
        "integration": "Integration",
        "operations": "Operations",
        # xlsx
        "xlsx.sheet.summary": "Summary",
        "xlsx.sheet.matrix": "Matrix",
        "xlsx.sheet.requirements": "Requirements",
        "xlsx.sheet.evidence": "Evidence",
        "xlsx.sheet.questionnaire": "Questionnaire",
        "xlsx.snapshot": (
            "The figures on this sheet are the evaluation as it was run. The Matrix sheet "
            "recalculates totals, must-haves and ranks when you change a weight or a score."
        ),
        "xlsx.legend": (
            "Blue figures are inputs: change a weight or a score (0–5) and totals, must-haves "
            "and ranks recalculate. '?' = unknown score, '✎' = manual answer (hover for the "
            "note). Everything else is protected (Review › Unprotect sheet, no password)."
        ),
        "xlsx.legend.exclude": (
            "Hatched empty cells are unknown scores, left out of the total; type a score to count it."
        ),
        "xlsx.must_min": "Must-have (min.)",
        "xlsx.rank_base": "Total of ranked vendors",
        "xlsx.unknown_note": "Unknown: {reason}. Counted as {value} ({policy}).",
        "xlsx.unknown_excluded": "Unknown: {reason}. Left out of the total ({policy}).",
        "xlsx.manual_note": "Manual answer",
        "xlsx.score_error": "Enter a score from 0 to 5 (decimals allowed), or leave the cell empty.",
        "xlsx.weight_error": "Enter a weight of 0 or more.",
        "xlsx.id": "ID",
        "xlsx.fact": "Fact",
        "xlsx.value": "Value",
        "xlsx.url": "URL",
        "xlsx.http_status": "HTTP status",
        "xlsx.time": "Time",
        "xlsx.path": "Path in the reply",
        "xlsx.excerpt": "Excerpt",
        "xlsx.note": "Note",
        "xlsx.reason": "Reason (if unknown)",
        "xlsx.derivation": "Derivation (share of the weight from each goal)",
        "xlsx.rule": "Rule",
        "xlsx.goal_share": "From goal: {goal}",
        "xlsx.complete": "Probing complete",
        "xlsx.yes": "yes",
        "xlsx.no": "no",
        "xlsx.problems": "Probing problems",
        "xlsx.unknown_count": "Unknown",
        "xlsx.q.title": "Questionnaire: what no API can show",
        "xlsx.q.help": (
            "Answer each question per vendor with a score from 0 to 5 (decimals allowed) using the "
            "levels as anchors; leave a cell empty if you do not know. Then run: "
            "zahnrad evaluate STRATEGY -o RUN --answers report.xlsx"
        ),
        "xlsx.q.criterion": "Criterion",
        "xlsx.q.question": "Question",
        "xlsx.q.levels": "Levels (0–5)",
        "xlsx.q.score": "Score 0–5",
        "xlsx.q.comment": "Comment",
    },
    "de": {
        "title": "Bewertung Social Intranet",
        "for": "für",
        "created": "Erstellt",
        "policy": "Unbekannte Bewertungen",
        "policy.pessimistic": "pessimistisch (zählen als 0)",
        "policy.neutral": "neutral (zählen als 2,5)",
        "policy.exclude": "ausgeschlossen (Gewichte über das Bekannte renormiert)",
        "ranking": "Rangfolge",
        "rank": "Rang",
        "vendor": "Anbieter",
        "platform": "Plattform",
        "total": "Gesamt (0–100)",
        "coverage": "Belegquote",
        "unknown": "Unbekannte Bewertungen",
        "knocked_out": "ausgeschieden",
        "status": "Status",
        "ranked": "gewertet",
        "goal_weights": "Zielgewichte",
        "goal": "Ziel",
        "weight": "Gewicht",
        "consistency": "AHP-Konsistenzverhältnis",
        "aspects": "Teilergebnisse je Aspekt (0–100)",
        "goals": "Teilergebnisse je Ziel (0–100)",
        "aspect": "Aspekt",
        "matrix": "Matrix (Bewertungen 0–5; ? = unbekannt)",
        "requirement": "Anforderung",
        "must_haves": "Muss-Kriterien",
        "passed": "erfüllt",
        "failed": "nicht erfüllt",
        "unverified": "nicht geprüft",
        "requirements": "Aus der Strategie abgeleitete Anforderungen",
        "facts": "Verwendete Fakten",
        "shared": "Geteilt mit",
        "evidence": "Belege der Bewertungen",
        "criterion": "Kriterium",
        "score": "Punkte",
        "source": "Quelle",
        "detail": "Herleitung",
        "warnings": "Hinweise",
        "none": "keine",
        "winner": "Empfehlung",
        "method": "Methode",
        "method_text": (
            "Ziele und Prioritäten stammen aus der Strategie der Organisation. Das Gewicht jedes "
            "Ziels wird auf die Kriterien verteilt, die ihm dienen. Jedes Kriterium bewertet einen "
            "Anbieter mit 0–5 Punkten gegen feste, im Kriterienkatalog beschriebene Stufen – aus "
            "Fakten, die über die API der Plattform erhoben wurden, oder aus manuellen Antworten. "
            "Gesamtwerte sind gewichtete Summen auf 0–100 und hängen nicht davon ab, welche anderen "
            "Anbieter verglichen werden. Wer ein Muss-Kriterium verfehlt, scheidet aus, wird aber "
            "weiter gezeigt."
        ),
        "editability": "Bearbeitbarkeit",
        "flexibility": "Flexibilität",
        "integration": "Integration",
        "operations": "Betrieb",
        # xlsx
        "xlsx.sheet.summary": "Übersicht",
        "xlsx.sheet.matrix": "Matrix",
        "xlsx.sheet.requirements": "Anforderungen",
        "xlsx.sheet.evidence": "Belege",
        "xlsx.sheet.questionnaire": "Fragebogen",
        "xlsx.snapshot": (
            "Die Zahlen auf diesem Blatt zeigen die Bewertung, wie sie gelaufen ist. Das Blatt "
            "Matrix rechnet Gesamtwerte, Muss-Kriterien und Rangfolge neu, wenn Sie ein Gewicht "
            "oder eine Bewertung ändern."
        ),
        "xlsx.legend": (
            "Blaue Zahlen sind Eingaben: Ändern Sie ein Gewicht oder eine Bewertung (0–5), dann "
            "werden Gesamtwerte, Muss-Kriterien und Rangfolge neu berechnet. „?“ = unbekannte "
            "Bewertung, „✎“ = manuelle Antwort (Notiz beim Überfahren). Alles andere ist "
            "geschützt (Überprüfen › Blattschutz aufheben, ohne Kennwort)."
        ),
        "xlsx.legend.exclude": (
            "Schraffierte leere Zellen sind unbekannte Bewertungen und zählen nicht mit; tragen "
            "Sie eine Bewertung ein, damit sie zählt."
        ),
        "xlsx.must_min": "Muss (min.)",
        "xlsx.rank_base": "Gesamtwert gewerteter Anbieter",
        "xlsx.unknown_note": "Unbekannt: {reason}. Zählt als {value} ({policy}).",
        "xlsx.unknown_excluded": "Unbekannt: {reason}. Zählt nicht mit ({policy}).",
        "xlsx.manual_note": "Manuelle Antwort",
        "xlsx.score_error": (
            "Bitte eine Bewertung von 0 bis 5 eingeben (Dezimalzahlen erlaubt) oder die Zelle "
            "leer lassen."
        ),
        "xlsx.weight_error": "Bitte ein Gewicht von 0 oder mehr eingeben.",
        "xlsx.id": "ID",
        "xlsx.fact": "Fakt",
        "xlsx.value": "Wert",
        "xlsx.url": "URL",
        "xlsx.http_status": "HTTP-Status",
        "xlsx.time": "Zeit",
        "xlsx.path": "Pfad in der Antwort",
        "xlsx.excerpt": "Auszug",
        "xlsx.note": "Hinweis",
        "xlsx.reason": "Grund (falls unbekannt)",
        "xlsx.derivation": "Herleitung (Anteil des Gewichts je Ziel)",
        "xlsx.rule": "Regel",
        "xlsx.goal_share": "Aus Ziel: {goal}",
        "xlsx.complete": "Erhebung vollständig",
        "xlsx.yes": "ja",
        "xlsx.no": "nein",
        "xlsx.problems": "Probleme bei der Erhebung",
        "xlsx.unknown_count": "Unbekannt",
        "xlsx.q.title": "Fragebogen: was keine API zeigen kann",
        "xlsx.q.help": (
            "Beantworten Sie jede Frage je Anbieter mit 0 bis 5 Punkten (Dezimalzahlen erlaubt); "
            "die Stufen dienen als Anker. Lassen Sie die Zelle leer, wenn Sie es nicht wissen. "
            "Danach: zahnrad evaluate STRATEGIE -o LAUF --answers report.xlsx"
        ),
        "xlsx.q.criterion": "Kriterium",
        "xlsx.q.question": "Frage",
        "xlsx.q.levels": "Stufen (0–5)",
        "xlsx.q.score": "Punkte 0–5",
        "xlsx.q.comment": "Kommentar",
    },
}

GOAL_LABELS: dict[str, dict[str, str]] = {
    "en": GOAL_TITLES,
    "de": {
        "participation": "Alle können mitmachen",
        "self_organisation": "Flache Hierarchien, selbstorganisierte Teams",
        "knowledge_sharing": "Geteilte Werte, Ideen und Ergebnisse",
        "external_reach": "Intern und extern vernetzt",
        "adaptability": "Die Technik passt sich der Organisation an",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


def goal_labels(lang: str) -> dict[str, str]:
    return GOAL_LABELS.get(lang, GOAL_LABELS["en"])
