#!/usr/bin/env python3
"""Scenario 6 of bench/run.sh ("CI as it lives"): what one run did, and the tables of all runs.

  ci_report.py image REGISTRY NAME TAG TEXT
      The image that NAME:TAG names in the registry (asked directly, not through the link): its
      digest, its size (config and layers, compressed, as the registry stores them) and whether its
      top layer holds TEXT (the name of the class that the run's one-line change added).
  ci_report.py record SIDE ROUND POSITION WALL LOG LINK_JSON IMAGE_JSON RESULT_JSON SECONDS_FILE WARMUP LOAD
      One run as a JSON line: Maven's wall time, where the time went (from the time stamps that
      Maven prints with -Dorg.slf4j.simpleLogger.showDateTime), link.py's byte counts, the image.
      RESULT_JSON (the plugin's image.json) and SECONDS_FILE (bench/ci-raw.sh's times) may be "-";
      LOAD is the machine's load average (1 minute) when the run started.
  ci_report.py table RUNS_JSONL
      The tables for bench/results.md: medians per side, medians of the per-round ratios, and the
      time per goal.
"""

import gzip
import json
import re
import sys
import urllib.request
from statistics import median

ACCEPT = ", ".join([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
])


def fetch(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers, response.read()


def image(registry, name, tag, text):
    base = f"http://{registry}/v2/{name}"
    headers, body = fetch(f"{base}/manifests/{tag}", ACCEPT)
    digest = headers.get("Docker-Content-Digest")
    manifest = json.loads(body)
    index = "manifests" in manifest
    if index:  # an attestation (platform unknown/unknown) is not the image
        chosen = next(m for m in manifest["manifests"] if m.get("platform", {}).get("os") != "unknown")
        _, body = fetch(f"{base}/manifests/{chosen['digest']}", ACCEPT)
        manifest = json.loads(body)
    layers = manifest["layers"]
    size = manifest["config"]["size"] + sum(layer["size"] for layer in layers)
    _, top = fetch(f"{base}/blobs/{layers[-1]['digest']}")
    if top[:2] == b"\x1f\x8b":
        top = gzip.decompress(top)
    # A jar's entry names are stored as they are, so the new class's name is in the layer's tar.
    print(json.dumps({"digest": digest, "index": index, "size": size, "layers": len(layers),
                      "top_layer": layers[-1]["size"], "found": text.encode() in top}))


# ---------------------------------------------------------------- one run

STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) (.*)$")
MOJO = re.compile(r"\[INFO\] --- ([\w.-]+):[^:\s]+:([\w-]+) \(([^)]*)\) @ ")
BUILDKIT = re.compile(r"\[INFO\] #\d+ ")


def stamped(path):
    """(seconds since midnight, text) for every line that has a time stamp, in order."""
    lines, last = [], None
    for line in open(path, errors="replace"):
        match = STAMP.match(line.rstrip("\n"))
        if not match:
            continue
        h, m, s, ms, text = match.groups()
        t = int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000
        if last is not None and t < last - 43200:  # past midnight
            t += 86400
        lines.append((t, text))
        last = t
    return lines


def timings(path):
    lines = stamped(path)
    if not lines:
        raise SystemExit(f"{path}: no time stamps (was Maven run with simpleLogger.showDateTime?)")
    marks = []  # (index, key) of every mojo's first line, then the end of the build
    for i, (_, text) in enumerate(lines):
        match = MOJO.search(text)
        if match:
            plugin, goal, execution = match.groups()
            marks.append((i, f"{plugin}:{execution}" if plugin == "exec" else f"{plugin}:{goal}"))
        elif "BUILD SUCCESS" in text or "BUILD FAILURE" in text:
            marks.append((i, None))
            break
    spans = {}
    for (i, key), (j, _) in zip(marks, marks[1:]):
        if key is not None:
            spans[key] = spans.get(key, 0.0) + lines[j][0] - lines[i][0]
    found = {"spans": {k: round(v, 3) for k, v in spans.items()},
             "logged": round(lines[marks[-1][0]][0] - lines[0][0], 3)}
    # Inside the build goal: before BuildKit's first line, and from its last line to "Built ...".
    for (i, key), (j, _) in zip(marks, marks[1:]):
        if key != "layercache:build":
            continue
        inside = lines[i:j]
        buildkit = [t for t, text in inside if BUILDKIT.search(text)]
        built = [t for t, text in inside if text.startswith("[INFO] Built ")]
        if buildkit and built:
            found["before_buildkit"] = round(buildkit[0] - lines[i][0], 3)
            found["after_buildkit"] = round(built[0] - buildkit[-1], 3)
            found["after_built"] = round(lines[j][0] - built[0], 3)
    return found


def record(side, round_, position, wall, log, link_json, image_json, result_json, seconds_file, warmup, load):
    link = json.load(open(link_json))
    found = timings(log)
    run = {"side": side, "round": int(round_), "position": int(position), "warmup": warmup == "true", "load": float(load),
           "wall": float(wall), **found,
           "down_blob": link["bodies"].get("down.blob", 0), "up_blob": link["bodies"].get("up.upload", 0),
           "down_all": link["bytes"]["down"], "up_all": link["bytes"]["up"],
           "requests": link["requests"], "image": json.load(open(image_json))}
    total = re.findall(r"Total time: *([0-9.]+) s", open(log, errors="replace").read())
    run["maven_total"] = float(total[-1]) if total else None
    if result_json != "-":
        result = json.load(open(result_json))
        run.update(goal_seconds=result.get("goalSeconds"), buildx_seconds=result.get("durationSeconds"),
                   output=result.get("output"), pulled_bytes=result.get("pulledBytes"))
    if seconds_file != "-":
        for line in open(seconds_file):
            step, seconds = line.split()
            run[f"command_{step}"] = float(seconds)
    print(json.dumps(run))


# ---------------------------------------------------------------- the tables

WORK = {"A": ["layercache:buildx-setup", "layercache:build", "layercache:push"],
        "B": ["exec:aws-buildx-build", "exec:aws-docker-push"]}
WORK["C"] = WORK["A"]


def work(run):
    """The image's part of the run: the plugin's goals, or the two exec steps of the AWS flow."""
    return sum(run["spans"].get(key, 0.0) for key in WORK[run["side"]])


def mb(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def table(path):
    runs = [json.loads(line) for line in open(path) if line.strip()]
    measured = [r for r in runs if not r["warmup"]]
    sides = {s: [r for r in measured if r["side"] == s] for s in "ABC"}
    rounds = sorted({r["round"] for r in measured})
    by = {(r["round"], r["side"]): r for r in measured}
    out = []
    names = {"A": "A plugin, registry route (CI=true)", "B": "B AWS CodeBuild guide flow (--load, docker push)",
             "C": "C plugin, load route (-Dlayercache.load=true)"}
    out.append("| side | runs | mvn deploy (s) | image work (s) | blob bytes down | blob bytes up | all bytes down / up |")
    out.append("|---|---|---|---|---|---|---|")
    for s, rs in sides.items():
        if not rs:
            continue
        out.append(f"| {names[s]} | {len(rs)} | {median(r['wall'] for r in rs):.2f} | {median(work(r) for r in rs):.2f} "
                   f"| {mb(median(r['down_blob'] for r in rs))} | {mb(median(r['up_blob'] for r in rs))} "
                   f"| {mb(median(r['down_all'] for r in rs))} / {mb(median(r['up_all'] for r in rs))} |")
    out.append("")
    out.append("Medians over the rounds. Image work: the plugin's three goals (buildx-setup, build, push) or the "
               "AWS flow's two exec steps, from the log's time stamps. Blob bytes: bodies of GET /v2/…/blobs/… "
               "(down) and of blob uploads (up) through bench/link.py; all bytes: everything the link carried, "
               "headers, manifests and the fingerprint lookup included. "
               f"Load average (1 min) at the runs' start: {min(r['load'] for r in measured):.2f} to "
               f"{max(r['load'] for r in measured):.2f} on {len(measured)} runs.")
    out.append("")

    def ratios(a, b, value):
        return [value(by[(n, a)]) / value(by[(n, b)]) for n in rounds if (n, a) in by and (n, b) in by]

    size = median(r["image"]["size"] for r in measured)
    share = [r["down_blob"] / r["image"]["size"] for r in sides["A"]]
    out.append("| ratio (per round, then the median) | median | per round | target | met |")
    out.append("|---|---|---|---|---|")
    for label, values, target in [
        ("A / B, mvn deploy", ratios("A", "B", lambda r: r["wall"]), 0.5),
        ("A / B, image work", ratios("A", "B", work), None),
        ("C / B, mvn deploy", ratios("C", "B", lambda r: r["wall"]), None),
        ("C / B, image work", ratios("C", "B", work), None),
    ]:
        if values:
            m = median(values)
            met = "n/a" if target is None else ("yes" if m <= target else "NO")
            out.append(f"| {label} | {m:.3f} | {', '.join(f'{v:.3f}' for v in values)} "
                       f"| {'—' if target is None else f'≤ {target:.2f}'} | {met} |")
    if share:
        m = median(share)
        out.append(f"| A's blob bytes down / image size ({mb(size)}) | {100 * m:.3f} % "
                   f"| {', '.join(f'{100 * v:.3f} %' for v in share)} | ≤ 1 % | {'yes' if m <= 0.01 else 'NO'} |")
    out.append("")

    def med(rs, value):
        values = [v for v in (value(r) for r in rs) if v is not None]
        return f"{median(values):.2f}" if values else "—"

    rows = [
        ("buildx-setup goal", lambda r: r["spans"].get("layercache:buildx-setup")),
        ("build goal (log, mojo start to next mojo)", lambda r: r["spans"].get("layercache:build")),
        ("– goalSeconds (the plugin's own clock)", lambda r: r.get("goal_seconds")),
        ("– durationSeconds (the buildx process)", lambda r: r.get("buildx_seconds")),
        ("– goal start to BuildKit's first line", lambda r: r.get("before_buildkit")),
        ("– BuildKit's last line to \"Built …\"", lambda r: r.get("after_buildkit")),
        ("push goal", lambda r: r["spans"].get("layercache:push")),
        ("exec: docker buildx build (log)", lambda r: r["spans"].get("exec:aws-buildx-build")),
        ("– the command alone", lambda r: r.get("command_build")),
        ("exec: docker push (log)", lambda r: r["spans"].get("exec:aws-docker-push")),
        ("– the command alone", lambda r: r.get("command_push")),
        ("image work (the goals or exec steps above)", lambda r: work(r)),
        ("other mojos (compile, jar, install, deploy, …)",
         lambda r: sum(v for k, v in r["spans"].items() if k not in WORK[r["side"]])),
        ("JVM and Maven start-up (wall − logged)", lambda r: r["wall"] - r["logged"]),
        ("mvn deploy, wall", lambda r: r["wall"]),
    ]
    out.append("Where the time goes (medians, seconds; \"log\" spans run from a mojo's first line to the next "
               "mojo's, by Maven's time stamps):")
    out.append("")
    out.append("| | A | B | C |")
    out.append("|---|---|---|---|")
    for label, value in rows:
        out.append(f"| {label} | {med(sides['A'], value)} | {med(sides['B'], value)} | {med(sides['C'], value)} |")
    print("\n".join(out))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "image":
        image(*args)
    elif command == "record":
        record(*args)
    elif command == "table":
        table(*args)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
