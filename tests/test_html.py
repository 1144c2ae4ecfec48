"""report.html: vendor strings stay text, nothing is loaded from the network, both languages."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import small_catalog, strategy

from zahnrad.cli import main
from zahnrad.evaluation import evaluate
from zahnrad.facts import Evidence, Fact, FactSet, VendorFacts
from zahnrad.outputs import load_run, write_run
from zahnrad.reports.html import money, number, percent, render_html, robustness
from zahnrad.reports.model import RunView
from zahnrad.strategy import Cost

# Each payload would change document.title (or the DOM) to a marker starting with "XSS-" if it
# ran; the marker is split in the source ('X'+'SS-…') so it appears only if a script executes.
SCRIPT_VENDOR = ("Evil <script>document.title='X'+'SS-SCRIPT';"
                 "document.body.setAttribute('data-x','X'+'SS-BODY')</script> GmbH")
IMG_VENDOR = "Bad <img src=x onerror=\"document.title='X'+'SS-IMG'\"> AG"
PLAIN_VENDOR = "Plain wiki"
ORG = "Muster <svg onload=\"document.title='X'+'SS-ORG'\"> & Co"
FACT_PAYLOAD = "<img src=x onerror=\"document.title='X'+'SS-FACT'\">"
ATTR_PAYLOAD = "\" onmouseover=\"document.title='X'+'SS-ATTR'\" x=\""
PRE_PAYLOAD = "</pre><script>document.title='X'+'SS-PRE'</script>"
JS_URL = "javascript:document.title='X'+'SS-URL'"
COMMENT_PAYLOAD = "<iframe src=\"https://tracker.example/x\"></iframe>"
EVIDENCE_URL = "https://wiki.example/api.php?action=query&meta=siteinfo"


def _fact(name: str, value, url: str = EVIDENCE_URL, excerpt: str | None = None) -> Fact:
    return Fact(name, value, "observed", Evidence(
        url=url, method="GET", status=200, time="2026-01-01T00:00:00Z", path=name,
        excerpt=excerpt if excerpt is not None else json.dumps(value)))


def xss_run(tmp_path: Path, lang: str = "en") -> tuple[dict, dict]:
    """An evaluation whose vendor names, fact values, reasons, excerpts and comments attack."""
    s = strategy([SCRIPT_VENDOR, IMG_VENDOR, PLAIN_VENDOR], must_have={"anon-edit": 3})
    s.organisation = ORG
    s.language = lang
    s.vendors[0].cost = Cost(licence_per_user_year=40, one_off=5000, operating_per_year=2000)
    s.vendors[1].cost = Cost(one_off=1000, operating_per_year=100, years=3)  # knocked out below
    fs: dict[str, VendorFacts] = {}
    for name, anon in ((SCRIPT_VENDOR, True), (IMG_VENDOR, False), (PLAIN_VENDOR, True)):
        vf = VendorFacts(name=name, platform="toy", url="https://wiki.example",
                         problems=[f"problem for {name}"])
        vf.facts["edit.anonymous"] = _fact("edit.anonymous", anon)
        vf.facts["sharing.external"] = _fact("sharing.external", FACT_PAYLOAD, url=JS_URL,
                                             excerpt=PRE_PAYLOAD)
        vf.facts["sso.protocols"] = Fact("sso.protocols", None, "unknown", reason=ATTR_PAYLOAD)
        vf.facts["extensions.count"] = _fact("extensions.count", 7)
        fs[name] = vf
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["vendor", "criterion", "score", "comment"])
        w.writerow([SCRIPT_VENDOR, "residency", 4, COMMENT_PAYLOAD])
        w.writerow([PLAIN_VENDOR, "residency", 2, ""])
    ev = evaluate(s, FactSet(vendors=fs), answers_path=answers, catalog=small_catalog())
    return json.loads(json.dumps(ev.as_results())), FactSet(vendors=fs).as_dict()


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def xss_html(tmp_path_factory) -> str:
    results, facts = xss_run(tmp_path_factory.mktemp("xss"))
    return render_html(RunView(results, facts, "en"))


def test_vendor_strings_are_text_not_markup(xss_html):
    tags = parse(xss_html).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    handlers = [(t, a) for t, attrs in tags for a in attrs if a.lower().startswith("on")]
    assert handlers == []
    # the payloads are there, as escaped text
    assert "Evil &lt;script&gt;document.title=&#39;X&#39;+&#39;SS-SCRIPT&#39;" in xss_html
    assert "Bad &lt;img src=x onerror=&#34;document.title=" in xss_html
    assert "&lt;/pre&gt;&lt;script&gt;" in xss_html
    assert "&#34; onmouseover=&#34;document.title=" in xss_html  # inside a title attribute
    assert "&lt;iframe src=&#34;https://tracker.example/x&#34;&gt;" in xss_html
    assert "Muster &lt;svg onload=" in xss_html and "&amp; Co" in xss_html
    assert "XSS-" not in xss_html


def test_javascript_evidence_url_is_not_a_link(xss_html):
    hrefs = [a.get("href") for t, a in parse(xss_html).tags if "href" in a]
    assert not any(h and h.lower().startswith("javascript") for h in hrefs)
    assert "javascript:document.title=&#39;X&#39;+&#39;SS-URL&#39;" in xss_html  # shown as text


def test_the_file_loads_nothing(xss_html):
    p = parse(xss_html)
    for tag, attrs in p.tags:
        for name, value in attrs.items():
            assert name not in ("src", "srcset", "action", "data", "poster", "background",
                                "xlink:href", "formaction", "ping"), (tag, name, value)
            if name == "href":
                assert tag == "a", tag
                assert value.startswith("#") or value == EVIDENCE_URL, value
    css = "\n".join(p.styles) + "".join(a.get("style") or "" for _, a in p.tags)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    csp = [a["content"] for t, a in p.tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]
    # evidence links are plain anchors that do not leak the report as referrer
    links = [a for t, a in p.tags if t == "a" and not a["href"].startswith("#")]
    assert links and all("noreferrer" in a.get("rel", "") for a in links)
    # nothing outside evidence anchors names a remote resource
    outside = re.sub(r'<a href="https?://[^"]*"[^>]*>[^<]*</a>', "", xss_html)
    assert not re.search(r'(src|href)\s*=\s*["\']?https?:', outside)


def test_sections_summary_and_cost_states(tmp_path, xss_html):
    for anchor in ("summary", "ranking", "sensitivity", "value", "aspects", "matrix",
                   "knockouts", "coverage", "evidence", "requirements", "method"):
        assert f'id="{anchor}"' in xss_html, anchor
    assert xss_html.count("<details>") == 3  # one per vendor
    assert "<svg" in xss_html and xss_html.count("<svg") >= 4  # aspects, shares, stability, value
    # robustness sentence in the summary; the winner is the payload vendor (escaped)
    assert "ranks first in" in xss_html and "perturbed weightings" in xss_html
    # the vendor without cost data is marked so, never free; the knocked-out one is not compared
    assert "no cost data" in xss_html
    assert "knocked out: not compared" in xss_html
    assert 'class="s unk"' in xss_html  # unknown cells are marked in the heat map


def test_german_report(tmp_path):
    results, facts = xss_run(tmp_path, "de")
    html = render_html(RunView(results, facts, "de"))
    assert '<html lang="de">' in html
    assert "Wie belastbar ist das Ergebnis?" in html and "Preis und Leistung" in html
    assert "keine Kostenangaben" in html and "liegt in" in html
    total = next(v["total"] for v in results["vendors"] if v["rank"] == 1)
    assert number(total, 1, "de") in html and "," in number(total, 1, "de")


def test_number_formats():
    assert number(1234567.891, 1, "en") == "1,234,567.9"
    assert number(1234567.891, 1, "de") == "1.234.567,9"
    assert money(990000, "en") == "€990,000" and money(990000, "de") == "990.000 €"
    assert percent(0.87) == "87 %" and percent(1.0) == "100 %" and percent(0.0) == "0 %"
    assert percent(0.9996) == "> 99.9 %" and percent(0.9960) == "99.6 %"
    assert percent(0.0004, "de") == "< 0,1 %" and percent(0.004, "de") == "0,4 %"


def test_robustness_sentence():
    results = {"sensitivity": {
        "winner": "A", "winner_first_share": 0.87, "samples": 2000,
        "critical": {"goal": "participation", "direction": "lower", "threshold": 0.12,
                     "weight": 0.26, "leader": "B"}}}
    assert robustness(results) == (
        "A ranks first in 87 % of 2,000 perturbed weightings; first place changes only if the "
        "weight of “Everyone can take part” falls below 0.12 (now 0.26; B would then lead).")
    results["sensitivity"]["critical"] = None
    assert robustness(results, "de").startswith("A liegt in 87 % von 2.000")
    assert robustness({"sensitivity": None}) is None


def test_older_run_without_sensitivity_or_cost_still_renders(tmp_path):
    results, facts = xss_run(tmp_path)
    del results["sensitivity"], results["cost"]
    html = render_html(RunView(results, facts, "en"))
    assert 'id="sensitivity"' not in html and "No vendor has cost data" in html


def test_cost_data_without_any_computable_tco_renders_without_chart(tmp_path):
    results, facts = xss_run(tmp_path)
    for c in results["cost"]["vendors"]:
        if c["status"] != "no_cost_data":
            c.update(status="no_employees", tco=None, points_per_1000=None, value_rank=None)
    html = render_html(RunView(results, facts, "en"))
    assert "employee count missing in the strategy" in html and "Value against cost" not in html


def test_written_with_the_run_and_rerendered_identically(tmp_path):
    results, facts = xss_run(tmp_path)
    run = tmp_path / "run"
    written = write_run(results, facts, run)
    assert run / "report.html" in written
    first = (run / "report.html").read_text()
    assert load_run(run)[0]["sensitivity"] == results["sensitivity"]
    out = tmp_path / "again"
    assert main(["report", str(run), "-o", str(out), "--lang", "en"]) in (0, None)
    assert (out / "report.html").read_text() == first
