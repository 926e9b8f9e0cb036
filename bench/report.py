#!/usr/bin/env python3
"""The figures of bench/run.sh: what one run did, and every table of bench/results*.md.

  report.py get JSON_FILE KEY.KEY...
      One value of a JSON file ("" when absent; booleans as true/false).
  report.py build-args IMAGE_JSON
      The --build-arg values of the command in the plugin's image.json, one a line.
  report.py base-facts JRE_IMAGE <MANIFEST
      One line on an image manifest read from stdin: its layers' compressed sizes, on JRE_IMAGE.
  report.py summary RUNS_TSV NETWORK
      Scenarios 1 to 5b and 6n on one network: medians per side, medians of the per-pair ratios
      with their targets, and where the time goes (RUNS_TSV: the lines of run.sh's record).
  report.py image REGISTRY NAME TAG TEXT
      The image that NAME:TAG names in the registry (asked directly, not through the link): its
      digest, its size (config and layers, compressed, as the registry stores them), its config's
      and layers' digests and sizes, whether its top layer holds TEXT (what the run's one-line change
      added, also inside a jar in the layer) and which layer from the top first does (found_in).
  report.py record SIDE ROUND POSITION WALL LOG LINK_JSON IMAGE_JSON RESULT_JSON SECONDS_FILE WARMUP LOAD
      Scenarios 6 and 7: one run as a JSON line: Maven's wall time, where the time went (from the
      time stamps that Maven prints with -Dorg.slf4j.simpleLogger.showDateTime), link.py's byte
      counts, the image. RESULT_JSON (the plugin's image.json) and SECONDS_FILE (bench/ci-raw.sh's
      times) may be "-", LINK_JSON too (a run on loopback: no bytes); WARMUP is true, false or
      another kind of run (cold); LOAD is the machine's load average (1 minute) when the run started.
  report.py ci-run RUNS_JSONL
  report.py java-run RUNS_JSONL
      The log line's summary of the last run recorded for scenario 6 or 7.
  report.py ci-table RUNS_JSONL
      Scenario 6 ("CI as it lives"): medians per side, medians of the per-round ratios, and the
      time per goal.
  report.py java-table RUNS_JSONL NETWORK
      Scenario 7 ("Java layers against Jib"): the same for sides L, F and J, warm and cold, with the
      ratios to Jib and their targets; bytes only when NETWORK is link (link.py counted them).
"""

import csv
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


# ---------------------------------------------------------------- small readers

def read_text(path):
    with open(path, errors="replace") as file:
        return file.read()


def read_json(path):
    return json.loads(read_text(path))


def json_lines(path):
    return [json.loads(line) for line in read_text(path).splitlines() if line.strip()]


def get(path, keys):
    value = read_json(path)
    for key in keys.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def build_args(path):
    argv = read_json(path)["command"]
    return "\n".join(argv[i + 1] for i, a in enumerate(argv) if a == "--build-arg")


def base_facts(manifest, jre_image):
    sizes = ", ".join("%.1f MB" % (layer["size"] / 1e6) for layer in manifest["layers"])
    return "layers of " + sizes + " compressed, on " + jre_image


# ---------------------------------------------------------------- scenarios 1 to 5b and 6n

# Each scenario: number, title, side A, side B, the target for the median pair ratio A/B.
SCENARIOS = [
    ("1", "cold, cache exported (fingerprint off)", "plugin", "raw", None),
    ("2", "no change, after prune (fingerprint off)", "plugin", "raw", 1.10),
    ("3", "one-line source change, after prune (fingerprint off)", "plugin", "raw", None),
    ("3c", "no change, every step CACHED: cacheExplain on vs off", "on", "off", 1.05),
    ("4", "no change, fingerprint skip vs raw of 2", "plugin", "raw", 0.25),
    ("5", "bench/multi, 1 of 6 changed, fingerprint off: -T 2 vs -T 1", "T2", "T1", 0.65),
    ("5b", "bench/multi, 1 of 6 changed, fingerprint on: -T 2 vs -T 1", "T2", "T1", 0.65),
    ("6n", "bench/ci, no change, after prune, CI=true (registry route, docker-container builder)", "plugin", "raw", 1.05),
]


def summary(path, network):
    # net, scenario, pair, side, seconds, mvn wall, goal (5 and 5b: Maven's total), buildx, cached, total
    runs = [r for r in csv.reader(read_text(path).splitlines(), delimiter="\t") if r[0] == network]

    def rows(scenario, side):
        return {r[2]: r for r in runs if r[1] == scenario and r[3] == side}

    def paired(scenario, a_side, b_side, column):
        a, b = rows(scenario, a_side), rows(scenario, b_side)
        common = sorted(set(a) & set(b), key=int)
        return [(float(a[p][column]), float(b[p][column])) for p in common if "-" not in (a[p][column], b[p][column])]

    out = []
    out.append("| # | scenario | pairs | A median (s) | B median (s) | median pair ratio A/B | target | met |")
    out.append("|---|---|---|---|---|---|---|---|")
    for number, title, a_side, b_side, target in SCENARIOS:
        pairs = paired(number, a_side, b_side, 4)
        if not pairs:
            continue
        ratio = median(a / b for a, b in pairs)
        goal = "—" if target is None else f"≤ {target:.2f}"
        met = "n/a" if target is None else ("yes" if ratio <= target else "NO")
        out.append(
            f"| {number} | {title} | {len(pairs)} | {median(a for a, _ in pairs):.2f} "
            f"| {median(b for _, b in pairs):.2f} | {ratio:.3f} | {goal} | {met} |")
    out.append("")
    out.append("A/B: in 1–4 and 6n, A is the build goal's own wall time (goalSeconds) and B the same `docker buildx build` "
               "run by bench/raw.sh inside `mvn package -Praw`; in 3c, goalSeconds with cacheExplain on and off; "
               "in 5 and 5b, A is `mvn -T 2 package` and B `mvn -T 1 package`, whole wall time.")

    reactor = [(n, paired(n, "T2", "T1", 6)) for n in ("5", "5b")]
    if any(p for _, p in reactor):
        out.append("")
        out.append("Scenarios 5 and 5b by Maven's own \"Total time\" (the reactor without the JVM's start-up):")
        out.append("")
        out.append("| # | pairs | -T 2 median (s) | -T 1 median (s) | median pair ratio |")
        out.append("|---|---|---|---|---|")
        for number, pairs in reactor:
            if pairs:
                out.append(
                    f"| {number} | {len(pairs)} | {median(a for a, _ in pairs):.2f} | {median(b for _, b in pairs):.2f} "
                    f"| {median(a / b for a, b in pairs):.3f} |")

    explained = [float(r[4]) for r in rows("3", "explain").values()]
    if explained:
        worst = max(explained)
        out.append("")
        out.append(
            f"Scenario 3, saying why the steps ran (`why.seconds`: the context hashed, the record beside the cache read, "
            f"this build's written): median {median(explained):.3f} s, most {worst:.3f} s over {len(explained)} builds; "
            f"target ≤ 0.10 s, met: {'yes' if worst <= 0.10 else 'NO'}.")

    own = {side: [float(r[6]) - float(r[7]) for r in rows("3c", side).values()] for side in ("on", "off")}
    if own["on"] and own["off"]:
        out.append("")
        out.append(
            f"Scenario 3c, the plugin's own work (goalSeconds − durationSeconds) in a build whose every step was CACHED: "
            f"median {median(own['on']):.3f} s with cacheExplain on, {median(own['off']):.3f} s off.")

    breakdown = []
    for number, *_ in [s for s in SCENARIOS if s[2] == "plugin" and s[3] == "raw"]:
        plugin = list(rows(number, "plugin").values())
        if not plugin:
            continue
        wall = [float(r[5]) for r in plugin]
        goal = [float(r[6]) for r in plugin]
        buildx = [float(r[7]) for r in plugin]
        raw = [r for r in rows(number, "raw").values() if r[5] != "-"]
        raw_around = median(float(r[5]) - float(r[4]) for r in raw) if raw else float("nan")
        breakdown.append(
            f"| {number} | {median(wall):.2f} | {median(goal):.2f} | {median(buildx):.2f} "
            f"| {median(w - g for w, g in zip(wall, goal)):.2f} | {median(g - x for g, x in zip(goal, buildx)):.2f} "
            f"| {raw_around:.2f} |")
    if breakdown:
        out.append("")
        out.append("Where the time goes in 1–4 and 6n (medians, seconds; the last column is Maven around the raw command):")
        out.append("")
        out.append("| # | mvn wall | goalSeconds | durationSeconds (buildx) | mvn − goal (JVM start-up, other mojos) | goal − buildx (plugin's own work) | raw side: mvn − command |")
        out.append("|---|---|---|---|---|---|---|")
        out.extend(breakdown)
    return "\n".join(out)


# ---------------------------------------------------------------- scenarios 6 and 7: one image

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
    for line in read_text(path).split("\n"):
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
    image_found = read_json(image_json)
    run = {"side": side, "round": int(round_), "position": int(position), "warmup": warmup == "true",
           "kind": {"true": "warmup", "false": "measured"}.get(warmup, warmup), "load": float(load),
           "wall": float(wall), **found, "image": image_found}
    if link_json != "-":
        link = read_json(link_json)
        run.update(down_blob=link["bodies"].get("down.blob", 0), up_blob=link["bodies"].get("up.upload", 0),
                   down_all=link["bytes"]["down"], up_all=link["bytes"]["up"],
                   up_manifest=link["bodies"].get("up.manifest", 0), down_manifest=link["bodies"].get("down.manifest", 0),
                   requests=link["requests"], unparsed_connections=link.get("unparsed_connections", 0))
        # Which uploads were the image's own blobs (its config and layers) and which the cache's.
        by_digest = uploads(link)
        own = set(image_found.get("layer_digests", [])) | {image_found.get("config")}
        run["uploads"] = by_digest
        run["up_image_blob"] = sum(size for digest, size in by_digest.items() if digest in own)
    total = re.findall(r"Total time: *([0-9.]+) s", read_text(log))
    run["maven_total"] = float(total[-1]) if total else None
    if result_json != "-":
        result = read_json(result_json)
        run.update(goal_seconds=result.get("goalSeconds"), buildx_seconds=result.get("durationSeconds"),
                   output=result.get("output"), pulled_bytes=result.get("pulledBytes"))
    if seconds_file != "-":
        for line in read_text(seconds_file).splitlines():
            step, seconds = line.split()
            run[f"command_{step}"] = float(seconds)
    print(json.dumps(run))


def last_run(path):
    return json_lines(path)[-1]


def ci_run(run):
    return "blobs down %s B, up %s B" % (run["down_blob"], run["up_blob"])


def java_run(run):
    text = ""
    if "up_blob" in run:
        text += "; blobs up %d B (image %d B), down %d B" % (run["up_blob"], run["up_image_blob"], run["down_blob"])
    image = run["image"]
    return text + "; the change in layer %d of %d" % (image["layers"] - image["found_in"], image["layers"])


# ---------------------------------------------------------------- scenario 6: CI as it lives

WORK = {"A": ["layercache:buildx-setup", "layercache:build", "layercache:push"],
        "B": ["exec:aws-buildx-build", "exec:aws-docker-push"]}
WORK["C"] = WORK["A"]


def work(run):
    """The image's part of the run: the plugin's goals, or the two exec steps of the AWS flow."""
    return sum(run["spans"].get(key, 0.0) for key in WORK[run["side"]])


def mb(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def med(rs, value):
    """The median of a value over runs, skipping those that lack it; "—" when none has it."""
    values = [v for v in (value(r) for r in rs) if v is not None]
    return f"{median(values):.2f}" if values else "—"


def span(key):
    """A run's time in one mojo, from its first log line to the next mojo's."""
    return lambda r: r["spans"].get(key)


def field(key):
    return lambda r: r.get(key)


def time_rows(work_keys, other_label):
    """The last rows of a time table: the mojos outside the image work, Maven's start-up, the wall."""
    return [(other_label, lambda r: sum(v for k, v in r["spans"].items() if k not in work_keys[r["side"]])),
            ("JVM and Maven start-up (wall − logged)", lambda r: r["wall"] - r["logged"]),
            ("mvn deploy, wall", lambda r: r["wall"])]


# The first rows of both time tables: the plugin's goals before its push.
PLUGIN_TIME_ROWS = [
    ("buildx-setup goal", span("layercache:buildx-setup")),
    ("build goal (log, mojo start to next mojo)", span("layercache:build")),
    ("– goalSeconds (the plugin's own clock)", field("goal_seconds")),
    ("– durationSeconds (the buildx process)", field("buildx_seconds")),
]


def time_table(intro, runs_by_side, rows):
    """Where the time goes: a row per (label, value of a run), a column of medians per side."""
    out = [intro, "", "| | " + " | ".join(runs_by_side) + " |", "|---|" + "---|" * len(runs_by_side)]
    for label, value in rows:
        out.append(f"| {label} | " + " | ".join(med(rs, value) for rs in runs_by_side.values()) + " |")
    return out


def ci_table(path):
    runs = json_lines(path)
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

    rows = PLUGIN_TIME_ROWS + [
        ("– goal start to BuildKit's first line", field("before_buildkit")),
        ("– BuildKit's last line to \"Built …\"", field("after_buildkit")),
        ("push goal", span("layercache:push")),
        ("exec: docker buildx build (log)", span("exec:aws-buildx-build")),
        ("– the command alone", field("command_build")),
        ("exec: docker push (log)", span("exec:aws-docker-push")),
        ("– the command alone", field("command_push")),
        ("image work (the goals or exec steps above)", work),
    ] + time_rows(WORK, "other mojos (compile, jar, install, deploy, …)")
    out += time_table("Where the time goes (medians, seconds; \"log\" spans run from a mojo's first line to the "
                      "next mojo's, by Maven's time stamps):", sides, rows)
    return "\n".join(out)


# ---------------------------------------------------------------- scenario 7: Java layers against Jib

JAVA_NAMES = {"L": "L plugin, Java layers (Dockerfile)", "F": "F plugin, fat jar (Dockerfile.fat)",
              "J": "J jib-maven-plugin 3.5.2, jib:build"}
JAVA_WORK = {"L": WORK["A"], "F": WORK["A"], "J": ["jib:build"]}


def java_work(run):
    return sum(run["spans"].get(key, 0.0) for key in JAVA_WORK[run["side"]])


def java_table(path, network):
    """Scenario 7's tables for one network: the measured (warm) runs, the cold ones, the ratios of
    each side to Jib per round, what went up, and where the time goes."""
    runs = json_lines(path)
    counted = network == "link"
    kinds = {kind: [r for r in runs if r["kind"] == kind] for kind in ("measured", "cold")}

    def by_round(kind):
        return {(r["round"], r["side"]): r for r in kinds[kind]}

    def b(value):
        return "—" if value is None else mb(value)

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

    def side_cells(side, rs):
        """The first cells of a side's row in the warm and the cold table: times and blob bytes."""
        cells = [JAVA_NAMES[side], str(len(rs)), med(rs, lambda r: r["wall"]), med(rs, java_work)]
        cells += [b(median(r[key] for r in rs)) if counted else "—" for key in ("up_image_blob", "up_blob", "down_blob")]
        return "| " + " | ".join(cells)

    out = []

    def side_table(kind, intro, columns, row):
        """A table with a row for each of the sides L, F and J that have runs of the kind."""
        out.extend([intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)])
        for side in "LFJ":
            rs = runs_of(kind, side)
            if rs:
                out.append(row(side, rs))
        out.append("")

    def warm_row(side, rs):
        all_bytes = (f"{mb(median(r['down_all'] for r in rs))} / {mb(median(r['up_all'] for r in rs))}"
                     if counted else "—")
        return f"{side_cells(side, rs)} | {all_bytes} | {changed_text(side)} |"

    columns = ["side", "runs", "mvn deploy (s)", "image work (s)", "image blob bytes up", "all blob bytes up",
               "blob bytes down"]
    measured = kinds["measured"]
    if measured:
        side_table("measured", "Warm: a fresh CI machine, a one-line change, the registry holding the previous image "
                   "and its cache (medians over the rounds):",
                   columns[:5] + ["all blob bytes up (image + cache)", "blob bytes down", "all bytes down / up",
                                  "layers changed (position of N, size)"], warm_row)
    cold = kinds["cold"]
    if cold:
        side_table("cold", "Cold: a fresh CI machine and a repository the registry has never seen (no previous "
                   "image, no cache; the base image's layers are in another repository of the same registry):",
                   columns, lambda side, rs: side_cells(side, rs) + " |")
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

    rows = PLUGIN_TIME_ROWS + [
        ("push goal", span("layercache:push")),
        ("jib:build (log)", span("jib:build")),
        ("image work (the goals above)", java_work),
    ] + time_rows(JAVA_WORK, "other mojos (compile, jar, repackage, install, deploy, …)")
    out += time_table("Where the time goes in the warm runs (medians, seconds; \"log\" spans run from a mojo's "
                      "first line to the next mojo's, by Maven's time stamps):",
                      {side: runs_of("measured", side) for side in "LFJ"}, rows)
    return "\n".join(out)


COMMANDS = {
    "get": lambda path, keys: print(get(path, keys)),
    "build-args": lambda path: print(build_args(path)),
    "base-facts": lambda jre_image: print(base_facts(json.load(sys.stdin), jre_image)),
    "summary": lambda path, network: print(summary(path, network)),
    "image": image,
    "record": record,
    "ci-run": lambda path: print(ci_run(last_run(path))),
    "java-run": lambda path: print(java_run(last_run(path))),
    "ci-table": lambda path: print(ci_table(path)),
    "java-table": lambda path, network: print(java_table(path, network)),
}


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command not in COMMANDS:
        raise SystemExit(f"unknown command {command}")
    COMMANDS[command](*args)


if __name__ == "__main__":
    main()
