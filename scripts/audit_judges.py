"""The judges `make audit` runs, and what each of them found on one page view.

axe-core runs in Debian's chromium through Playwright, the Nu HTML checker (vnu.jar)
on each page's HTML as served, and Lighthouse's own command line with its own
chromium. Invariant: every judge runs with a time limit, in a session of its own
that is killed whole when the limit passes, so no browser outlives the audit.
"""

import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOT_FOUND = "404"  # the page that answers 404 on purpose
NOT_INDEXED = "search"  # the page that asks robots not to index it, on purpose
CATEGORIES = {"accessibility": "a11y", "best-practices": "BP", "seo": "SEO"}


@dataclass
class Judges:
    folder: Path

    @property
    def axe(self) -> Path:
        return self.folder / "node_modules/axe-core/axe.min.js"

    @property
    def vnu(self) -> Path:
        return self.folder / "node_modules/vnu-jar/build/dist/vnu.jar"

    @property
    def lighthouse(self) -> Path:
        return self.folder / "node_modules/lighthouse/cli/index.js"

    def check(self) -> None:
        missing = [str(p) for p in (self.axe, self.vnu, self.lighthouse) if not p.exists()]
        if missing:
            sys.exit(f"Judges missing (`make audit` installs them): {', '.join(missing)}")


@dataclass
class Site:
    """What prepare_database made: the audited pages' paths by name, the big
    article's path and the signed-in visitor's credentials."""

    pages: dict[str, str]
    big: str
    username: str
    password: str


@dataclass
class Result:
    """One page as one visitor sees it: the figures and what each judge complained of."""

    page: str
    visitor: str
    path: str
    final_path: str = ""
    axe: list[dict] = field(default_factory=list)
    vnu: list[dict] = field(default_factory=list)
    scores: dict[str, int | None] = field(default_factory=dict)
    failed_audits: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def missed(self) -> list[str]:
        """The judges whose target this page view misses; a Lighthouse category
        passes with a score and no failed audit other than the expected ones."""
        misses = [name for name, found in (("axe", self.axe), ("vnu", self.vnu)) if found]
        for category, label in CATEGORIES.items():
            failed = [a for a in self.failed_audits.get(category, []) if not a["expected"]]
            if self.scores.get(category) is None or failed:
                misses.append(label)
        return misses + (["error"] if self.errors else [])


class _Running:
    """The judges' processes now running, so that an interrupted audit can stop them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.processes: set[subprocess.Popen] = set()
        self.stopping = False


_running = _Running()


def run_bounded(command: list[str], *, timeout: int, env=None) -> subprocess.CompletedProcess:
    """Run a judge; on timeout, kill it and everything it started (Lighthouse's chromium)."""
    with _running.lock:
        if _running.stopping:
            return subprocess.CompletedProcess(command, -9, "", "the audit is stopping")
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        _running.processes.add(process)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop([process])
        out, err = process.communicate()
        err = f"timed out after {timeout} s\n{err}"
    finally:
        with _running.lock:
            _running.processes.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def stop_judges() -> None:
    """Stop every judge still running, with what it started, and start no more."""
    with _running.lock:
        _running.stopping = True
        running = list(_running.processes)
    _stop(running)


def _stop(processes: list[subprocess.Popen]) -> None:
    """SIGINT first: Lighthouse's launcher then closes its chromium, which runs in a
    process group of its own. After 10 s, SIGKILL to whatever of each tree is left."""
    below = [pid for process in processes for pid in _descendants(process.pid)]
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(p.poll() is None for p in processes):
        time.sleep(0.2)
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    for pid in below:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """The process ids under `pid`, read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def browse(base: str, site: Site, judges: Judges, reports: Path) -> list[Result]:
    """Sign in through the log-in form, then for each visitor and page run axe in the
    browser and save the HTML as served (for vnu). Returns the results and, in
    `reports/cookie.txt`, the signed-in visitor's Cookie header for Lighthouse."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            signing_in = browser.new_context()
            tab = signing_in.new_page()
            tab.goto(f"{base}/accounts/login/", timeout=30_000)
            tab.fill("input[name=login]", site.username)
            tab.fill("input[name=password]", site.password)
            with tab.expect_navigation(timeout=30_000):
                tab.click("main form button[type=submit]")
            cookies = signing_in.cookies()
            signing_in.close()
            if not any(cookie["name"] == "sessionid" for cookie in cookies):
                sys.exit("Could not sign in as the auditor: no session cookie")
            header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
            (reports / "cookie.txt").write_text(header)
            for visitor, jar in (("out", []), ("in", cookies)):
                # bypass_csp: the site's policy rightly refuses the injected axe script.
                context = browser.new_context(
                    bypass_csp=True, viewport={"width": 1280, "height": 900}
                )
                context.add_cookies(jar)
                for page, path in site.pages.items():
                    results.append(
                        judge_in_browser(context, base, page, visitor, path, judges, reports)
                    )
                context.close()
        finally:
            browser.close()
    return results


def judge_in_browser(context, base, page, visitor, path, judges, reports) -> Result:
    result = Result(page=page, visitor=visitor, path=path)
    served = context.request.get(base + path, timeout=30_000)
    (reports / f"{visitor}-{page}.html").write_bytes(served.body())
    tab = context.new_page()
    try:
        tab.goto(base + path, timeout=30_000, wait_until="load")
        result.final_path = tab.url.removeprefix(base)
        tab.add_script_tag(path=str(judges.axe))
        result.axe = tab.evaluate(
            """async () => (await axe.run(document)).violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html}))}))"""
        )
    except Exception as exc:  # a page that fails to load is a finding, not a crash
        result.errors.append(f"browser: {exc}")
    finally:
        tab.close()
    return result


def validate_html(results: list[Result], judges: Judges, reports: Path) -> None:
    """One vnu run over every saved page; errors (not warnings) count."""
    by_file = {f"{r.visitor}-{r.page}.html": r for r in results}
    command = [
        "java",
        "-jar",
        str(judges.vnu),
        "--format",
        "json",
        "--stdout",
        "--exit-zero-always",
    ]
    done = run_bounded(command + [str(reports / name) for name in by_file], timeout=300)
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        for result in results:
            result.errors.append(f"vnu did not run: {done.stderr[-500:]}")
        return
    (reports / "vnu.json").write_text(json.dumps(messages, indent=1))
    for message in messages:
        if message.get("type") in ("error", "non-document-error"):
            by_file[message.get("url", "").rsplit("/", 1)[-1]].vnu.append(message)


def lighthouse(url: str, categories: list[str], out: Path, judges: Judges, extra=()) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    command = [
        "node",
        str(judges.lighthouse),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={flags}",
        f"--only-categories={','.join(categories)}",
        *extra,
    ]
    done = run_bounded(command, timeout=240, env={**os.environ, "CHROME_PATH": CHROMIUM})
    if done.returncode != 0 or not out.exists():
        return {"runtimeError": {"message": done.stderr.strip()[-500:] or "no report"}}
    return json.loads(out.read_text())


def failed_audits(
    report: dict,
    category: str,
    *,
    weighted_only: bool = True,
    answers_404: bool = False,
    unindexed: bool = False,
) -> list[dict]:
    """The category's audits that did not pass (only those its score counts, unless
    `weighted_only` is off), each with a sample and whether it is `expected` of a page
    that answers 404 on purpose, or asks robots not to index it (`unindexed`: search
    results, which Lighthouse calls "blocked from indexing" for that alone)."""
    failed = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if weighted_only and not ref.get("weight"):
            continue
        if audit.get("score") is not None and audit["score"] < 1:
            failed.append(
                {
                    "id": audit["id"],
                    "title": audit["title"],
                    "sample": sample(audit),
                    "expected": (answers_404 and failed_for_the_404_alone(report, audit))
                    or (unindexed and audit["id"] == "is-crawlable"),
                }
            )
    return failed


def failed_for_the_404_alone(report: dict, audit: dict) -> bool:
    """A page meant to answer 404 fails two audits for that alone: SEO's
    http-status-code, and errors-in-console for Chrome's note of the document's own
    404. Neither is held against the 404 page; any other console error still is."""
    if audit["id"] == "http-status-code":
        return True
    if audit["id"] == "errors-in-console":
        items = (audit.get("details") or {}).get("items") or []
        own = report["finalDisplayedUrl"]
        return all((item.get("sourceLocation") or {}).get("url") == own for item in items)
    return False


def sample(audit: dict) -> str:
    """The audit's figure, if any, and where its first finding is (element or URL)."""
    parts = [audit.get("displayValue", "")]
    items = (audit.get("details") or {}).get("items")
    if items and isinstance(items, list) and isinstance(items[0], dict):
        item = items[0]
        node = item.get("node") or {}
        location = item.get("sourceLocation") or {}
        for value in (node.get("selector"), location.get("url"), item.get("url")):
            if isinstance(value, str) and value:
                parts.append(value)
                break
        if isinstance(item.get("description"), str):
            parts.append(item["description"])
    return " ".join(part for part in parts if part)[:200]


def judge_with_lighthouse(result: Result, base: str, judges: Judges, reports: Path) -> None:
    extra = []
    if result.visitor == "in":
        cookie = (reports / "cookie.txt").read_text()
        extra.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    if result.page == NOT_FOUND:
        extra.append("--ignore-status-code")
    out = reports / f"lighthouse-{result.visitor}-{result.page}.json"
    try:
        report = lighthouse(base + result.path, list(CATEGORIES), out, judges, extra)
    except ValueError as exc:  # an unreadable report
        report = {"runtimeError": {"message": f"unreadable report: {exc}"}}
    if report.get("runtimeError"):
        message = report["runtimeError"].get("message") or report["runtimeError"].get("code")
        result.errors.append(f"lighthouse: {message}")
    elif report.get("finalDisplayedUrl") != base + result.final_path:
        # E.g. a signed-in run sent to the log-in page: the cookie did not work.
        landed = report.get("finalDisplayedUrl")
        result.errors.append(f"lighthouse landed on {landed}, the browser on {result.final_path}")
    for category in CATEGORIES:
        score = (report.get("categories") or {}).get(category, {}).get("score")
        result.scores[category] = None if score is None else round(score * 100)
        if score is not None:
            answers_404 = result.page == NOT_FOUND
            result.failed_audits[category] = failed_audits(
                report,
                category,
                answers_404=answers_404,
                unindexed=result.page == NOT_INDEXED,
            )
    shown = " ".join(f"{CATEGORIES[c]} {result.scores[c]}" for c in CATEGORIES)
    print(f"  {result.page} ({result.visitor}): {shown}", flush=True)


def performance(base: str, path: str, runs: int, judges: Judges, reports: Path):
    """Lighthouse performance, default mobile emulation, until `runs` runs give a
    score (a run now and then fails to record its trace; at most twice as many
    tries): the median score with that run's metrics and not-passed audits."""
    for _ in range(10):  # warm each gunicorn worker's page cache, as traffic would
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
    figures = []
    for run in range(2 * runs):
        if len(figures) == runs:
            break
        out = reports / f"lighthouse-performance-{run + 1}.json"
        try:
            report = lighthouse(base + path, ["performance"], out, judges)
        except ValueError as exc:  # an unreadable report
            report = {"runtimeError": {"message": f"unreadable report: {exc}"}}
        score = (report.get("categories") or {}).get("performance", {}).get("score")
        if score is None:
            error = (report.get("runtimeError") or {}).get("message", "no score")
            print(f"  performance run {run + 1}: {error}")
            continue
        metrics = {
            key: report["audits"][key].get("displayValue", "")
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
                "speed-index",
                "server-response-time",
            )
        }
        failed = failed_audits(report, "performance", weighted_only=False)
        figures.append((round(score * 100), metrics, failed))
        print(f"  performance run {run + 1}: {round(score * 100)}", flush=True)
    if not figures:
        return None
    median = statistics.median_low([figure[0] for figure in figures])
    score, metrics, failed = next(figure for figure in figures if figure[0] == median)
    return score, metrics, failed, len(figures)
