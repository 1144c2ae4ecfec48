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
        # html/sensitivity
        "sensitivity": "How robust is the result?",
        "first_share": "First place in",
        "rank_interval": "Rank range",
        "sens_mc_title": "Other plausible weightings",
        "sens_mc_text": (
            "The goal weights were varied at random {samples} times around the strategy's "
            "weights (Dirichlet distribution, concentration {concentration}: a weight of 0.25 "
            "typically moves by ±0.04, about one step on the 1–5 priority scale). The table shows "
            "how often each vendor came first and the ranks it took in 90 % of the weightings "
            "(5th to 95th percentile). A tie for first place counts for each tied vendor."
        ),
        "oat": "One goal at a time",
        "oat_text": (
            "Each goal's weight was moved from its value down to 0 and up to 1, the other goals "
            "keeping their proportions. The table shows the weight at which first place would "
            "change hands, and who would then lead."
        ),
        "changes_below": "First place changes below",
        "changes_above": "First place changes above",
        "then_leads": "then leads",
        "never": "never",
        "robust_share": "{winner} ranks first in {share} of {samples} perturbed weightings",
        "robust_lower": (
            "first place changes only if the weight of “{goal}” falls below {threshold} "
            "(now {weight}; {leader} would then lead)"
        ),
        "robust_upper": (
            "first place changes only if the weight of “{goal}” rises above {threshold} "
            "(now {weight}; {leader} would then lead)"
        ),
        "robust_none": "no single goal's weight, moved anywhere between 0 and 1, changes first place",
        "value": "Price and value",
        "tco": "Total cost of ownership",
        "years": "Years",
        "licences": "Licences",
        "one_off": "One-off",
        "operating": "Operating",
        "points_per_1000": "Points per 1,000 €",
        "value_rank": "Value rank",
        "best_value": "Best price-performance",
        "value_chart": "Value against cost",
        "value_axis_cost": "Total cost of ownership (€)",
        "value_axis_points": "Total (0–100)",
        "value_text": (
            "Price is the divisor, not one more weighted criterion (UfAB simple benchmark method): "
            "price-performance = total points ÷ total cost of ownership × 1,000. TCO = employees "
            "× licence per user and year × years + one-off cost + operating cost per year × years "
            "({years} years unless stated). A vendor without cost data is shown as such, never as "
            "free; a knocked-out vendor gets no price-performance."
        ),
        "cost.ok": "",
        "cost.no_cost_data": "no cost data",
        "cost.knocked_out": "knocked out: not compared",
        "cost.no_employees": "employee count missing in the strategy",
        "cost.no_total": "no total score",
        "cost.zero_tco": "cost given as 0",
        "no_cost_any": (
            "No vendor has cost data. Add cost = { licence_per_user_year = …, one_off = …, "
            "operating_per_year = …, years = … } to a vendor in the strategy."
        ),
        "summary": "Summary",
        "contents": "Contents",
        "winner_line": "{winner} leads with {total} of 100 points.",
        "no_winner": "No vendor could be ranked: every vendor failed a must-have or has no total.",
        "summary_knockouts": "{n} of {m} vendors failed a must-have and are not ranked.",
        "summary_coverage": "{coverage} of the recommended vendor's weight rests on evidence.",
        "summary_value": "Best price-performance: {vendor} ({points} points per 1,000 €).",
        "knockouts": "Knock-outs (must-haves)",
        "no_knockouts": "No vendor failed a must-have.",
        "must_have": "Must-have",
        "minimum": "minimum",
        "coverage_text": (
            "Share of the weight resting on evidence: facts observed on the platform or manual "
            "answers. The rest is the plugin's declaration or unknown."
        ),
        "aspect_chart": "Subtotals per aspect",
        "heat_legend": (
            "Scores 0 (not met) to 5 (fully met); ? unknown: {policy}; "
            "m manual answer; d declared by the plugin."
        ),
        "evidence_text": "Open a vendor to see what each score rests on.",
        "probed_by": "facts from plugin",
        "request": "Request",
        "read_from": "Read from",
        "excerpt": "Excerpt",
        "note": "Note",
        "reason": "Reason",
        "comment": "Comment",
        "contributions": "Weight from each goal",
        "derivation_text": (
            "Each goal's weight is spread evenly over the criteria that serve it; a criterion "
            "serving several goals collects a share from each. Facts used by several criteria are "
            "marked, so double counting stays visible."
        ),
        "method_sensitivity": (
            "Sensitivity: the recommendation is tested against other plausible weightings (random "
            "variations around the strategy's goal weights) and against moving one goal's weight at "
            "a time, with the same policy for unknown scores."
        ),
        "default_years": "{years} years (default)",
        "generated": (
            "Generated by zahnrad {version}. This file is self-contained and loads nothing from "
            "the network."
        ),
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
        # html/sensitivity
        "sensitivity": "Wie belastbar ist das Ergebnis?",
        "first_share": "Platz 1 in",
        "rank_interval": "Rangspanne",
        "sens_mc_title": "Andere plausible Gewichtungen",
        "sens_mc_text": (
            "Die Zielgewichte wurden {samples}-mal zufällig um die Gewichte der Strategie variiert "
            "(Dirichlet-Verteilung, Konzentration {concentration}: ein Gewicht von 0,25 bewegt sich "
            "typischerweise um ±0,04, etwa eine Stufe auf der Prioritätenskala 1–5). Die Tabelle "
            "zeigt, wie oft jeder Anbieter vorn lag und welche Ränge er in 90 % der Gewichtungen "
            "einnahm (5. bis 95. Perzentil). Ein geteilter erster Platz zählt für jeden Beteiligten."
        ),
        "oat": "Ein Ziel nach dem anderen",
        "oat_text": (
            "Das Gewicht jedes Ziels wurde von seinem Wert bis 0 und bis 1 verschoben; die übrigen "
            "Ziele behalten ihr Verhältnis. Die Tabelle zeigt, bei welchem Gewicht Platz 1 wechselt "
            "und wer dann vorn läge."
        ),
        "changes_below": "Platz 1 wechselt unter",
        "changes_above": "Platz 1 wechselt über",
        "then_leads": "dann vorn",
        "never": "nie",
        "robust_share": "{winner} liegt in {share} von {samples} veränderten Gewichtungen vorn",
        "robust_lower": (
            "Platz 1 wechselt erst, wenn das Gewicht von „{goal}“ unter {threshold} fällt "
            "(jetzt {weight}; dann läge {leader} vorn)"
        ),
        "robust_upper": (
            "Platz 1 wechselt erst, wenn das Gewicht von „{goal}“ über {threshold} steigt "
            "(jetzt {weight}; dann läge {leader} vorn)"
        ),
        "robust_none": "kein einzelnes Zielgewicht ändert Platz 1, wo zwischen 0 und 1 es auch liegt",
        "value": "Preis und Leistung",
        "tco": "Gesamtkosten (TCO)",
        "years": "Jahre",
        "licences": "Lizenzen",
        "one_off": "Einmalig",
        "operating": "Betrieb",
        "points_per_1000": "Punkte je 1.000 €",
        "value_rank": "Rang Preis-Leistung",
        "best_value": "Bestes Preis-Leistungs-Verhältnis",
        "value_chart": "Leistung und Kosten",
        "value_axis_cost": "Gesamtkosten (€)",
        "value_axis_points": "Gesamt (0–100)",
        "value_text": (
            "Der Preis ist Divisor, nicht ein weiteres gewichtetes Kriterium (UfAB, einfache "
            "Richtwertmethode): Preis-Leistung = Leistungspunkte ÷ Gesamtkosten × 1.000. "
            "Gesamtkosten = Beschäftigte × Lizenz je Nutzer und Jahr × Jahre + Einmalkosten + "
            "Betriebskosten je Jahr × Jahre (ohne Angabe {years} Jahre). Ein Anbieter ohne "
            "Kostenangaben wird so ausgewiesen, nie als kostenlos; ausgeschiedene Anbieter erhalten "
            "keine Preis-Leistung."
        ),
        "cost.ok": "",
        "cost.no_cost_data": "keine Kostenangaben",
        "cost.knocked_out": "ausgeschieden: nicht verglichen",
        "cost.no_employees": "Zahl der Beschäftigten fehlt in der Strategie",
        "cost.no_total": "kein Gesamtwert",
        "cost.zero_tco": "Kosten mit 0 angegeben",
        "no_cost_any": (
            "Für keinen Anbieter liegen Kosten vor. Ergänzen Sie in der Strategie beim Anbieter "
            "cost = { licence_per_user_year = …, one_off = …, operating_per_year = …, years = … }."
        ),
        "summary": "Zusammenfassung",
        "contents": "Inhalt",
        "winner_line": "{winner} liegt mit {total} von 100 Punkten vorn.",
        "no_winner": (
            "Kein Anbieter konnte gewertet werden: alle verfehlen ein Muss-Kriterium oder haben "
            "keinen Gesamtwert."
        ),
        "summary_knockouts": (
            "{n} von {m} Anbietern verfehlen ein Muss-Kriterium und werden nicht gewertet."
        ),
        "summary_coverage": "{coverage} des Gewichts beim empfohlenen Anbieter beruhen auf Belegen.",
        "summary_value": "Bestes Preis-Leistungs-Verhältnis: {vendor} ({points} Punkte je 1.000 €).",
        "knockouts": "Ausschlüsse (Muss-Kriterien)",
        "no_knockouts": "Kein Anbieter verfehlt ein Muss-Kriterium.",
        "must_have": "Muss-Kriterium",
        "minimum": "mindestens",
        "coverage_text": (
            "Anteil des Gewichts, der auf Belegen beruht: auf der Plattform beobachtete Fakten oder "
            "manuelle Antworten. Der Rest sind Angaben des Plugins oder unbekannt."
        ),
        "aspect_chart": "Teilergebnisse je Aspekt",
        "heat_legend": (
            "Punkte 0 (nicht erfüllt) bis 5 (voll erfüllt); ? unbekannt: {policy}; "
            "m manuelle Antwort; d Angabe des Plugins."
        ),
        "evidence_text": "Öffnen Sie einen Anbieter, um zu sehen, worauf jede Bewertung beruht.",
        "probed_by": "Fakten vom Plugin",
        "request": "Anfrage",
        "read_from": "Gelesen aus",
        "excerpt": "Auszug",
        "note": "Hinweis",
        "reason": "Grund",
        "comment": "Kommentar",
        "contributions": "Gewicht aus jedem Ziel",
        "derivation_text": (
            "Das Gewicht jedes Ziels wird gleichmäßig auf die Kriterien verteilt, die ihm dienen; "
            "ein Kriterium, das mehreren Zielen dient, erhält von jedem einen Anteil. Fakten, die "
            "mehrere Kriterien verwenden, sind markiert, damit Doppelzählungen sichtbar bleiben."
        ),
        "method_sensitivity": (
            "Sensitivität: Die Empfehlung wird gegen andere plausible Gewichtungen geprüft "
            "(zufällige Variationen der Zielgewichte der Strategie) und gegen das Verschieben "
            "einzelner Zielgewichte, mit derselben Regel für unbekannte Bewertungen."
        ),
        "default_years": "{years} Jahre (Vorgabe)",
        "generated": (
            "Erstellt mit zahnrad {version}. Diese Datei ist in sich geschlossen und lädt nichts "
            "aus dem Netz."
        ),
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
