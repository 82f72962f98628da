"""One release's result for `make test-matrix`: a summary line first, then the details.

    python3 report.py RELEASE .build/matrix/RELEASE

Reads what scripts/test_matrix.sh left in RELEASE/logs/: test.log and test-strict.log (pytest -rfE
output), run/junit.xml, run/deprecations.jsonl and run/strict-failures.jsonl (from deprecation_probe.py),
run/demo-status, run/demo-compare.json, run/versions.txt. Exits 1 when the release's tests or demo failed.
Standard library only.
"""
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

SUMMARY_LINE = re.compile(r"^(FAILED|ERROR) (\S+)(?: - (.*))?$")
VERBOSE_LINE = re.compile(r"^(tests/\S+::\S+)(?: (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b)?")
SECTION = re.compile(r"^_{3,} (.+?) _{3,}$")
PLUGIN_PLACE = re.compile(r"desert_carbon/(\S+?\.py)(?::|\", line )(\d+)")
CRASHES = {"124": "interrupted by timeout", "137": "killed after the timeout", "139": "segmentation fault",
           "134": "aborted"}


def read(path, default=""):
    return path.read_text(encoding="utf-8", errors="replace").strip() if path.exists() else default


def sections(log_text):
    """{section title: lines} of pytest's FAILURES / ERRORS report ("___ test_name ___")."""
    found, current = {}, None
    for line in log_text.splitlines():
        match = SECTION.match(line)
        if match:
            current = found.setdefault(match.group(1), [])
        elif line.startswith("=" * 10):
            current = None
        elif current is not None:
            current.append(line)
    return found


def section_reason(parts, node, deprecation=False):
    """One line from the test's failure report: the DeprecationWarning and the plugin line it came from
    (deprecation=True), else the last `E   ` line."""
    name = node.split("::", 1)[1].replace("::", ".") if "::" in node else f"ERROR collecting {node}"
    lines = parts.get(name) or parts.get(f"ERROR at setup of {name}") or []
    if deprecation:
        first = next((i for i, line in enumerate(lines) if "DeprecationWarning:" in line), None)
        if first is not None:
            message = lines[first].split("DeprecationWarning:", 1)[1].strip()
            # where it was raised: pytest's "path:line: DeprecationWarning" line, else the last plugin
            # frame of the traceback above the message
            places = [(i, m, line.rstrip().endswith("DeprecationWarning"))
                      for i, line in enumerate(lines) for m in PLUGIN_PLACE.finditer(line)]
            best = ([m for i, m, raised in places if raised] or [m for i, m, _ in places if i <= first]
                    or [m for i, m, _ in places])
            where = f"{best[-1].group(1).split('desert_carbon/')[-1]}:{best[-1].group(2)}: " if best else ""
            return f"{where}DeprecationWarning: {message}"
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return errors[-1] if errors else ""


def failure_log(path):
    """{test title as in pytest's report: lines} from deprecation_probe's $FAILURE_LOG."""
    found = {}
    for line in read(path).splitlines():
        record = json.loads(line)
        node = record["nodeid"]
        title = node.split("::", 1)[1].replace("::", ".") if "::" in node else f"ERROR collecting {node}"
        found.setdefault(title, []).extend(record["text"].splitlines())
    return found


def failures(log_text, deprecation=False, reports=None):
    """{node id: (FAILED or ERROR, one-line reason)} from the verbose lines and the -rfE summary, so that a
    run that crashed before its summary still names its failures."""
    found = {}
    for line in log_text.splitlines():
        match = VERBOSE_LINE.match(line)
        if match and match.group(2) in ("FAILED", "ERROR"):
            found.setdefault(match.group(1), (match.group(2), ""))
        match = SUMMARY_LINE.match(line.strip())
        if match:
            found[match.group(2)] = (match.group(1), (match.group(3) or "").strip())
    parts = {**sections(log_text), **(reports or {})}
    for node, (kind, reason) in found.items():
        if deprecation or not reason or reason.endswith("Traceback (most recent call last):"):
            found[node] = (kind, section_reason(parts, node, deprecation) or reason)
    return found


def counts(junit, log_text):
    """(passed, failed, errors, skipped, seconds) from the JUnit XML, else from the verbose log."""
    if junit.exists():
        try:
            suite = ElementTree.parse(junit).getroot()
            suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
            total, failed, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
            return total - failed - errors - skipped, failed, errors, skipped, float(suite.get("time", 0))
        except (ElementTree.ParseError, AttributeError):
            pass
    outcomes = defaultdict(int)
    for line in log_text.splitlines():
        match = VERBOSE_LINE.match(line)
        if match and match.group(2):
            outcomes[match.group(2)] += 1
    return outcomes["PASSED"], outcomes["FAILED"], outcomes["ERROR"], outcomes["SKIPPED"], None


def last_started(log_text):
    """The last test the verbose log shows started but not finished (the one interrupted or crashed in)."""
    last = None
    for line in log_text.splitlines():
        match = VERBOSE_LINE.match(line)
        if match:
            last = None if match.group(2) else match.group(1)
    return last


def crash(log_text, rc, junit):
    """None when pytest finished; else what happened and in which test."""
    if rc in CRASHES or "Segmentation fault" in log_text[-2000:] or not junit.exists():
        what = CRASHES.get(rc) or ("segmentation fault" if "Segmentation fault" in log_text[-2000:]
                                   else f"exit {rc}, no JUnit report")
        return f"{what}, in {last_started(log_text) or 'the session end (after every test had reported)'}"
    return None


def main(release, folder):
    logs, run = folder / "logs", folder / "logs" / "run"
    versions = read(run / "versions.txt").splitlines()
    qgis = versions[0] if versions else "?"
    stack = versions[1] if len(versions) > 1 else ""
    test_log, strict_log = read(logs / "test.log"), read(logs / "test-strict.log")
    rc = read(run / "test-rc", "?")
    passed, failed, errors, skipped, seconds = counts(run / "junit.xml", test_log)
    if seconds is None:
        seconds = float(read(run / "test-seconds", "0"))
    failing = failures(test_log)
    strict_failures = failures(strict_log, deprecation=True, reports=failure_log(run / "strict-failures.jsonl"))
    strict_only = {k: v for k, v in strict_failures.items() if k not in failing}
    hung = crash(test_log, rc, run / "junit.xml")
    strict_crash = crash(strict_log, read(run / "strict-rc", "?"), run / "junit-strict.xml") if strict_log else None

    # DeprecationWarnings from the repository's files, one entry per place and message
    places = defaultdict(set)
    for line in read(run / "deprecations.jsonl").splitlines():
        record = json.loads(line)
        places[(record["file"], record["line"], record["category"], record["message"])].add(record["nodeid"])
    plugin_places = [p for p in places if not p[0].startswith("tests/")]

    compare = json.loads(read(run / "demo-compare.json", "{}") or "{}")
    demo = read(run / "demo-status", "not run")
    difference = compare.get("max_relative_difference")
    agreement = (f"max rel diff vs host {difference:.2g} ({'ok' if compare.get('ok') else 'FAIL'} at "
                 f"{compare.get('tolerance', 1e-9):g})" if difference is not None else "not compared")

    tests = f"tests {passed} passed / {failed} failed / {errors} errors / {skipped} skipped in {seconds:.0f} s"
    if hung:
        tests += f" (DID NOT FINISH: {hung})"
    strict = f", +{len(strict_only)} failures as errors" if strict_log else ""
    if strict_crash:
        strict += " (that run crashed)"
    print(f"{release:<9} QGIS {qgis:<8} | {tests} | DeprecationWarnings from plugin files: {len(plugin_places)} "
          f"(tests/: {len(places) - len(plugin_places)}){strict} | demo {demo}, {agreement}")

    print(f"\n== details {release}: QGIS {qgis}; {stack}")
    print(f"-- failing tests ({len(failing)}):")
    for node, (kind, reason) in sorted(failing.items()):
        print(f"  {kind} {node} - {reason}")
    if hung:
        print(f"-- pytest did not finish: {hung}")
    print(f"-- DeprecationWarnings whose source is a file of this repository ({len(places)} places):")
    for (file, line, category, message), nodes in sorted(places.items()):
        example = sorted(nodes)[0] or "(collection)"
        print(f"  {file}:{line}: {category}: {message}  [{len(nodes)} tests, e.g. {example}]")
    if strict_log:
        print(f"-- failing only with -W error::DeprecationWarning:<each plugin module> ({len(strict_only)}):")
        for node, (kind, reason) in sorted(strict_only.items()):
            print(f"  {kind} {node} - {reason}")
        if strict_crash:
            print(f"  that pytest run did not finish: {strict_crash}")
    print(f"-- demo: {demo}; tables vs the host's demo-output/: {agreement}; "
          f"{read(folder.parent / 'host-demo-status', 'host demo status unknown')}")
    for name, table in sorted(compare.get("tables", {}).items()):
        worst = table.get("max_relative_difference")
        print(f"  {name}: max relative difference {worst if worst is None else format(worst, '.3g')}"
              + "".join(f"; {problem}" for problem in table.get("problems", [])[:5]))
    print()
    return 0 if failed == errors == 0 and not hung and demo == "ok" and compare.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
