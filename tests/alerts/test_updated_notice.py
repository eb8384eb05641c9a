"""A failing check that says its problems as a list and gains one: one "updated" notice, end to end
(real pytest runs of a check, the pipeline, the outbox and a webhook)."""

import json

from runner.execute import Selection
from runner.pipeline import run_once

SEO_LIKE = '''
from pathlib import Path
from runner.pytest_plugin import no_problems

@check(cadence="weekly")
@pytest.mark.runbook("content")
def test_seo_like():
    """Sitemap and robots.txt are served: search traffic depends on them."""
    problems = Path(__file__).with_name("problems.txt").read_text().splitlines()
    no_problems(problems)
'''


def test_a_failing_multi_problem_check_that_gains_a_problem_sends_exactly_one_updated_notice(
    checks_settings, receiver, tmp_path
):
    settings = checks_settings(
        SEO_LIKE, extra=f'[alerts]\nretries = 0\n[[alerts.channels]]\nurl = "json://{receiver.url[7:]}/hook"\n'
    )
    problems = tmp_path / "checks" / "problems.txt"
    for run in (
        ["/sitemap.xml: HTTP 500"],
        ["/sitemap.xml: HTTP 500", "/robots.txt: HTTP 404"],
        ["/sitemap.xml: HTTP 500", "/robots.txt: HTTP 404"],
        ["/robots.txt: HTTP 404", "/sitemap.xml: HTTP 500"],
    ):
        problems.write_text("\n".join(run))
        result, failures = run_once(settings, Selection())
        assert result.checks[0]["problems"] == run and failures == []
    outbox = [
        json.loads(line) for line in (settings.reports_dir() / "alerts" / "outbox.jsonl").read_text().splitlines()
    ]
    assert [m["kind"] for m in outbox] == ["incident", "updated"]
    titles = [hook["title"] for hook in receiver.on("/hook")]
    assert titles == ["[FAILING] shop.invalid: test_seo_like", "[UPDATED] shop.invalid: test_seo_like"]
    updated = receiver.on("/hook")[1]["message"]
    assert "New since the incident was announced: /robots.txt: HTTP 404" in updated
    assert "Runbook (" in updated and "sitemap.xml: HTTP 500" not in updated.split("New since")[1].split("\n")[0]
