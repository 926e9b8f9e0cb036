#!/usr/bin/env python3
"""Scenarios 6 and 7 of bench/run.sh ("CI as it lives", "Java layers against Jib"): what one run
did, and the tables of all runs.

  ci_report.py image REGISTRY NAME TAG TEXT
      The image that NAME:TAG names in the registry (asked directly, not through the link): its
      digest, its size (config and layers, compressed, as the registry stores them), its config's
      and layers' digests and sizes, whether its top layer holds TEXT (what the run's one-line change
      added, also inside a jar in the layer) and which layer from the top first does (found_in).
  ci_report.py record SIDE ROUND POSITION WALL LOG LINK_JSON IMAGE_JSON RESULT_JSON SECONDS_FILE WARMUP LOAD
      One run as a JSON line: Maven's wall time, where the time went (from the time stamps that
      Maven prints with -Dorg.slf4j.simpleLogger.showDateTime), link.py's byte counts, the image.
      RESULT_JSON (the plugin's image.json) and SECONDS_FILE (bench/ci-raw.sh's times) may be "-",
      LINK_JSON too (a run on loopback: no bytes); WARMUP is true, false or another kind of run
      (cold); LOAD is the machine's load average (1 minute) when the run started.
  ci_report.py table RUNS_JSONL
      The tables for bench/results.md: medians per side, medians of the per-round ratios, and the
      time per goal.
  ci_report.py java-table RUNS_JSONL NETWORK
      Scenario 7 ("Java layers against Jib"): the same for sides L, F and J, warm and cold, with the
      ratios to Jib and their targets; bytes only when NETWORK is link (link.py counted them).
"""

import gzip
import io
import json
import re
import sys
import tarfile
import urllib.request
import zipfile
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


def holds(layer, text):
    """Whether a layer blob holds text: in its tar as it is (a jar's entry names, a class file's
    strings), or in an entry of a jar or zip file in it (a class compressed in Spring Boot's fat jar)."""
    if layer[:2] == b"\x1f\x8b":
        layer = gzip.decompress(layer)
    needle = text.encode()
    if needle in layer:
        return True
    with tarfile.open(fileobj=io.BytesIO(layer)) as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith((".jar", ".zip", ".war")):
                continue
            try:
                with zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read())) as archive:
                    if any(needle in archive.read(entry) for entry in archive.namelist()):
                        return True
            except zipfile.BadZipFile:
                continue
    return False


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
    # The layers from the top down, until one holds the text (the run's one-line change): found_in
    # counts from the top (0: the top layer), null when no layer holds it.
    found_in = None
    for depth, layer in enumerate(reversed(layers)):
        _, blob = fetch(f"{base}/blobs/{layer['digest']}")
        if holds(blob, text):
            found_in = depth
            break
    print(json.dumps({"digest": digest, "index": index, "size": size, "layers": len(layers),
                      "top_layer": layers[-1]["size"], "found": found_in == 0, "found_in": found_in,
                      "config": manifest["config"]["digest"], "config_size": manifest["config"]["size"],
                      "layer_digests": [layer["digest"] for layer in layers],
                      "layer_sizes": [layer["size"] for layer in layers]}))


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


def uploads(link):
    """Blob bytes uploaded per digest, from link.py's list of blob requests: an upload's body bytes
    (POST, PATCH, PUT) are credited to the digest that the request completing it names."""
    by_session, digest_of = {}, {}
    for entry in link["blobs"]:
        method, where, _status, size = entry[:4]
        digest = entry[4] if len(entry) > 4 else ""
        if method.endswith(" body"):
            by_session[where] = by_session.get(where, 0) + size
        if digest:
            digest_of[where] = digest
    found = {}
    for session, size in by_session.items():
        digest = digest_of.get(session, "?")
        found[digest] = found.get(digest, 0) + size
    return found


def record(side, round_, position, wall, log, link_json, image_json, result_json, seconds_file, warmup, load):
    """WARMUP is true, false, or a kind of run of its own (scenario 7: cold); LINK_JSON "-" for a run
    on loopback, whose bytes are not counted."""
    found = timings(log)
    image_found = json.load(open(image_json))
    run = {"side": side, "round": int(round_), "position": int(position), "warmup": warmup == "true",
           "kind": {"true": "warmup", "false": "measured"}.get(warmup, warmup), "load": float(load),
           "wall": float(wall), **found, "image": image_found}
    if link_json != "-":
        link = json.load(open(link_json))
        run.update(down_blob=link["bodies"].get("down.blob", 0), up_blob=link["bodies"].get("up.upload", 0),
                   down_all=link["bytes"]["down"], up_all=link["bytes"]["up"],
                   up_manifest=link["bodies"].get("up.manifest", 0), down_manifest=link["bodies"].get("down.manifest", 0),
                   requests=link["requests"], unparsed_connections=link.get("unparsed_connections", 0))
        # Which uploads were the image's own blobs (its config and layers) and which the cache's.
        by_digest = uploads(link)
        own = set(image_found.get("layer_digests", [])) | {image_found.get("config")}
        run["uploads"] = by_digest
        run["up_image_blob"] = sum(size for digest, size in by_digest.items() if digest in own)
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


# ---------------------------------------------------------------- scenario 7: Java layers against Jib

JAVA_NAMES = {"L": "L plugin, Java layers (Dockerfile)", "F": "F plugin, fat jar (Dockerfile.fat)",
              "J": "J jib-maven-plugin 3.5.2, jib:build"}
JAVA_WORK = {"L": WORK["A"], "F": WORK["A"], "J": ["jib:build"]}


def java_work(run):
    return sum(run["spans"].get(key, 0.0) for key in JAVA_WORK[run["side"]])


def java_table(path, network):
    """Scenario 7's tables for one network: the measured (warm) runs, the cold ones, the ratios of
    each side to Jib per round, what went up, and where the time goes."""
    runs = [json.loads(line) for line in open(path) if line.strip()]
    counted = network == "link"
    kinds = {kind: [r for r in runs if r["kind"] == kind] for kind in ("measured", "cold")}

    def by_round(kind):
        return {(r["round"], r["side"]): r for r in kinds[kind]}

    def b(value):
        return "—" if value is None else mb(value)

    def med(rs, value, fmt="{:.2f}"):
        values = [v for v in (value(r) for r in rs) if v is not None]
        return fmt.format(median(values)) if values else "—"

    # Which layers each warm run changed: its layers against the same side's previous image in
    # the same repository (the warm-up's, then the previous round's).
    changed, last = {}, {}
    for r in runs:
        if r["kind"] == "cold":
            continue
        layers = list(zip(r["image"]["layer_digests"], r["image"]["layer_sizes"]))
        before = last.get(r["side"])
        if before is not None and r["kind"] == "measured":
            changed.setdefault(r["side"], []).append(
                [(i + 1, size) for i, (digest, size) in enumerate(layers)
                 if i >= len(before) or before[i][0] != digest])
        last[r["side"]] = layers

    def changed_text(side):
        seen = changed.get(side)
        if not seen:
            return "—"
        total = len(runs_of("measured", side)[0]["image"]["layer_digests"])
        positions = sorted({i for run in seen for i, _ in run})
        return (f"{'/'.join(map(str, positions))} of {total}, "
                f"{mb(median(sum(size for _, size in run) for run in seen))}")

    def runs_of(kind, side):
        return [r for r in kinds[kind] if r["side"] == side]

    out = []
    measured = kinds["measured"]
    if measured:
        out.append("Warm: a fresh CI machine, a one-line change, the registry holding the previous image and its cache "
                   "(medians over the rounds):")
        out.append("")
        out.append("| side | runs | mvn deploy (s) | image work (s) | image blob bytes up | all blob bytes up "
                   "(image + cache) | blob bytes down | all bytes down / up | layers changed (position of N, size) |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for side in "LFJ":
            rs = runs_of("measured", side)
            if not rs:
                continue
            all_bytes = (f"{mb(median(r['down_all'] for r in rs))} / {mb(median(r['up_all'] for r in rs))}"
                         if counted else "—")
            out.append(f"| {JAVA_NAMES[side]} | {len(rs)} | {med(rs, lambda r: r['wall'])} | {med(rs, java_work)} "
                       f"| {b(median(r['up_image_blob'] for r in rs)) if counted else '—'} "
                       f"| {b(median(r['up_blob'] for r in rs)) if counted else '—'} "
                       f"| {b(median(r['down_blob'] for r in rs)) if counted else '—'} | {all_bytes} "
                       f"| {changed_text(side)} |")
        out.append("")
    cold = kinds["cold"]
    if cold:
        out.append("Cold: a fresh CI machine and a repository the registry has never seen (no previous image, "
                   "no cache; the base image's layers are in another repository of the same registry):")
        out.append("")
        out.append("| side | runs | mvn deploy (s) | image work (s) | image blob bytes up | all blob bytes up | "
                   "blob bytes down |")
        out.append("|---|---|---|---|---|---|---|")
        for side in "LFJ":
            rs = runs_of("cold", side)
            if not rs:
                continue
            out.append(f"| {JAVA_NAMES[side]} | {len(rs)} | {med(rs, lambda r: r['wall'])} | {med(rs, java_work)} "
                       f"| {b(median(r['up_image_blob'] for r in rs)) if counted else '—'} "
                       f"| {b(median(r['up_blob'] for r in rs)) if counted else '—'} "
                       f"| {b(median(r['down_blob'] for r in rs)) if counted else '—'} |")
        out.append("")
    if not runs:
        return "no runs"
    loads = [r["load"] for r in measured + cold]
    out.append(f"Image work: the plugin's three goals (buildx-setup, build, push) or jib:build, from the log's time "
               f"stamps. Load average (1 min) at the runs' start: {min(loads):.2f} to {max(loads):.2f} on "
               f"{len(loads)} runs.")
    if counted:
        out.append("Bytes through bench/link.py: blob bytes are the bodies of blob uploads (up) and of GET "
                   "/v2/…/blobs/… (down); image blob bytes the uploads of the image's own config and layers, by "
                   "the digest each upload names; all bytes everything the link carried (headers, manifests, "
                   "Jib's HTTPS attempts before it falls back to HTTP).")
    else:
        out.append("Bytes are counted on the link only (bench/link.py counts them; the registry on loopback is "
                   "asked directly); they do not depend on the path.")
    out.append("")

    def ratios(kind, a, value):
        rounds = by_round(kind)
        values = []
        for (n, side), run in sorted(rounds.items()):
            other = rounds.get((n, "J"))
            if side == a and other is not None and value(run) is not None and value(other):
                values.append(value(run) / value(other))
        return values

    rows = [("measured", "L", "mvn deploy", lambda r: r["wall"], 1.0),
            ("measured", "L", "image work", java_work, None)]
    if counted:
        rows += [("measured", "L", "image blob bytes up", lambda r: r["up_image_blob"], 2.0),
                 ("measured", "L", "all blob bytes up (image + cache)", lambda r: r["up_blob"], 4.0)]
    rows += [("measured", "F", "mvn deploy", lambda r: r["wall"], None)]
    if counted:
        rows += [("measured", "F", "image blob bytes up", lambda r: r["up_image_blob"], None),
                 ("measured", "F", "all blob bytes up (image + cache)", lambda r: r["up_blob"], None)]
    rows += [("cold", "L", "cold mvn deploy", lambda r: r["wall"], None),
             ("cold", "F", "cold mvn deploy", lambda r: r["wall"], None)]
    out.append("| ratio to Jib (per round, then the median) | median | per round | target | met |")
    out.append("|---|---|---|---|---|")
    for kind, side, label, value, target in rows:
        values = ratios(kind, side, value)
        if not values:
            continue
        m = median(values)
        met = "n/a" if target is None else ("yes" if m <= target else f"NO ({m / target:.2f} × the target)")
        out.append(f"| {side} / J, {label} | {m:.3f} | {', '.join(f'{v:.3f}' for v in values)} "
                   f"| {'—' if target is None else f'≤ {target:.2f}'} | {met} |")
    out.append("")

    if counted and measured:
        out.append("What went up in the last round (blob uploads by digest: the image's config, its layers by "
                   "position from the bottom, and anything else, the cache's):")
        out.append("")
        out.append("| side | uploads |")
        out.append("|---|---|")
        last_round = max(r["round"] for r in measured)
        for side in "LFJ":
            run = by_round("measured").get((last_round, side))
            if run is None:
                continue
            digests = run["image"]["layer_digests"]
            parts = []
            for digest, size in sorted(run["uploads"].items(), key=lambda item: -item[1]):
                if digest == run["image"]["config"]:
                    what = "image config"
                elif digest in digests:
                    what = f"layer {digests.index(digest) + 1} of {len(digests)}"
                else:
                    what = f"other ({digest[7:19]})"
                parts.append(f"{what} {mb(size)}")
            out.append(f"| {JAVA_NAMES[side]} | {', '.join(parts) or 'nothing'}; manifests {mb(run['up_manifest'])} |")
        out.append("")

    time_rows = [
        ("buildx-setup goal", lambda r: r["spans"].get("layercache:buildx-setup")),
        ("build goal (log, mojo start to next mojo)", lambda r: r["spans"].get("layercache:build")),
        ("– goalSeconds (the plugin's own clock)", lambda r: r.get("goal_seconds")),
        ("– durationSeconds (the buildx process)", lambda r: r.get("buildx_seconds")),
        ("push goal", lambda r: r["spans"].get("layercache:push")),
        ("jib:build (log)", lambda r: r["spans"].get("jib:build")),
        ("image work (the goals above)", java_work),
        ("other mojos (compile, jar, repackage, install, deploy, …)",
         lambda r: sum(v for k, v in r["spans"].items() if k not in JAVA_WORK[r["side"]])),
        ("JVM and Maven start-up (wall − logged)", lambda r: r["wall"] - r["logged"]),
        ("mvn deploy, wall", lambda r: r["wall"]),
    ]
    out.append("Where the time goes in the warm runs (medians, seconds; \"log\" spans run from a mojo's first line "
               "to the next mojo's, by Maven's time stamps):")
    out.append("")
    out.append("| | L | F | J |")
    out.append("|---|---|---|---|")
    for label, value in time_rows:
        out.append(f"| {label} | " + " | ".join(med(runs_of("measured", s), value) for s in "LFJ") + " |")
    return "\n".join(out)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "image":
        image(*args)
    elif command == "record":
        record(*args)
    elif command == "table":
        table(*args)
    elif command == "java-table":
        print(java_table(*args))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
