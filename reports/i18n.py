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
