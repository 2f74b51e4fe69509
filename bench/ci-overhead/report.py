"""Reads the legs' timestamped logs (legs/<job>-<n>/log.txt, "+seconds line") of bench/ci-overhead/run.sh's runs and
prints the markdown tables of bench/results/ci-overhead.md. Usage: python3 report.py <runs-dir> <rounds>"""
import re
import statistics
import sys
from pathlib import Path

runs, rounds = Path(sys.argv[1]), int(sys.argv[2])
BUILD_STEP = re.compile(r"^Run BuildBase BuildApp")
# The build says this right before it starts `docker build`; the first BuildKit line is the fallback.
DOCKER_BUILD = re.compile(r"^Building \S+ with docker|^#\d+ \[")


def read(path):
    lines = []
    for raw in path.read_text().splitlines():
        stamp, _, text = raw.partition(" ")
        lines.append((float(stamp[1:]), text))
    return lines


def steps(lines):
    """[(name, start, elapsed)] in order; a step ends where the next starts (the last where the log ends)."""
    starts = [(t, text[len("##[step] "):]) for t, text in lines if text.startswith("##[step] ")]
    end = lines[-1][0]
    return [(name, t, (starts[i + 1][0] if i + 1 < len(starts) else end) - t) for i, (t, name) in enumerate(starts)]


def first(lines, pattern, after=0.0):
    return next((t for t, text in lines if t >= after and re.search(pattern, text)), None)


def leg(path):
    """Segments of a build leg up to its first docker build, in seconds, and that total."""
    lines = read(path)
    docker = first(lines, DOCKER_BUILD)
    if docker is None:
        sys.exit(f"error: {path} has no docker build line; the leg did not get that far (see the log).")
    segments = {}
    all_steps = steps(lines)
    segments["leg start to its first step (the workspace copy)"] = all_steps[0][1]
    at = next(i for i, s in enumerate(all_steps) if BUILD_STEP.search(s[0]))
    build = all_steps[at]
    for name, _, elapsed in all_steps[:at]:
        segments[f"step: {name}"] = elapsed
    t0 = build[1]
    compiled = first(lines, r"^Time Elapsed ", t0)
    services = first(lines, r"^::group::LocalServices", t0)
    preflight = first(lines, r"^::group::Preflight", t0)
    base = first(lines, r"^::group::BuildBase", t0)
    marks = [("build step: build.sh compiles the build program", compiled),
             ("build step: build.sh check, .NET start, parameters", services),
             ("build step: LocalServices (engine, binfmt, registry, base image probes)", preflight),
             ("build step: Preflight (inputs checked)", base),
             ("build step: BuildBase until `docker build` (input digest lookup)", docker)]
    previous = t0
    for label, t in marks:
        if t is None:
            segments[label] = 0.0
            continue
        segments[label] = t - previous
        previous = t
    return segments, docker


def job(path):
    lines = read(path)
    return {f"step: {name}": elapsed for name, _, elapsed in steps(lines)}, lines[-1][0]


def med(values):
    return statistics.median(values) if values else None


def fmt(value):
    return "" if value is None else f"{value:.2f}"


scenarios = ["cache-cold", "cache-warm", "prepare-cold", "prepare-warm"]
legs = {s: [leg(runs / f"{s}-{r}" / "legs" / "build-1" / "log.txt") for r in range(1, rounds + 1)] for s in scenarios}
prepares = {s: [job(runs / f"{s}-{r}" / "legs" / "prepare-1" / "log.txt") for r in range(1, rounds + 1)] for s in ("prepare-cold", "prepare-warm")}

total = {s: [d for _, d in legs[s]] for s in scenarios}
critical = {s: [p + d for (_, p), (_, d) in zip(prepares[s], legs[s])] for s in prepares}
cold = med(total["cache-cold"])


def row(label, values, note=""):
    m = med(values)
    return f"| {label} | {' '.join(f'{v:.1f}' for v in values)} | **{m:.1f}** | {m / cold:.0%} | {note} |"


print("| scenario | runs (s) | median (s) | of cache cold | what it is |")
print("| --- | --- | --- | --- | --- |")
print(row("per-leg cache, cold", total["cache-cold"], "empty cache folder: the leg compiles the build program"))
print(row("per-leg cache, warm", total["cache-warm"], "exact key hit: build/bin and the stamp restored, no compile"))
print(row("prepare job, cold: the leg", total["prepare-cold"], "the leg only: artifact download, no compile"))
print(row("prepare job, warm: the leg", total["prepare-warm"], "the same, with the prepare job's cache warm"))
print(row("prepare job, cold: prepare + leg", critical["prepare-cold"], "prepare compiles, saves the cache, uploads; then the leg"))
print(row("prepare job, warm: prepare + leg", critical["prepare-warm"], "prepare restores, uploads; then the leg"))
warm_ratio = med(total["cache-warm"]) / cold
print()
fastest = min(total["cache-cold"])
print(f"**Warm / cold (per-leg cache): {warm_ratio:.0%}** of the cold leg's time to its first `docker build` "
      f"(target ≤ 25 %: {'met' if warm_ratio <= 0.25 else 'not met'}). The cold compile is CPU-bound and this machine's two "
      f"cores are shared, so cold runs spread with the load; against the fastest cold run ({fastest:.1f} s) the warm median "
      f"is {med(total['cache-warm']) / fastest:.0%}.")
print()
print("Where a leg's time goes until its first `docker build` (medians, seconds; blank: the step is not in that layout):")
print()
names = []
for s in scenarios:
    for segments, _ in legs[s]:
        names += [n for n in segments if n not in names]
print("| segment | cache cold | cache warm | prepare cold (leg) | prepare warm (leg) |")
print("| --- | --- | --- | --- | --- |")
for n in names:
    cells = [fmt(med([seg[n] for seg, _ in legs[s] if n in seg])) for s in scenarios]
    print(f"| {n} | {' | '.join(cells)} |")
print(f"| **total to first docker build** | {' | '.join(fmt(med(total[s])) for s in scenarios)} |")
print()
print("The prepare job (medians, seconds; it ends with its cache post step, which a dependent job waits for):")
print()
steps_named = []
for s in prepares:
    for segments, _ in prepares[s]:
        steps_named += [n for n in segments if n not in steps_named]
print("| step | prepare cold | prepare warm |")
print("| --- | --- | --- |")
for n in steps_named:
    print(f"| {n} | {' | '.join(fmt(med([seg[n] for seg, _ in prepares[s] if n in seg])) for s in prepares)} |")
print(f"| **whole job** | {' | '.join(fmt(med([t for _, t in prepares[s]])) for s in prepares)} |")


def step_time(s, source, name):
    return med([seg[name] for seg, _ in source[s] if name in seg])


restore = step_time("cache-warm", legs, "step: Cache NuGet packages and the build program")
upload = step_time("prepare-warm", prepares, "step: Upload the build program")
download = step_time("prepare-warm", legs, "step: Download the build program")
print()
print("Components of the hand-off (medians, seconds): ")
print(f"- per-leg cache restore (warm leg's cache step, NuGet packages + build/bin + stamp): **{fmt(restore)}**")
print(f"- artifact upload of build/bin + stamp in the prepare job: **{fmt(upload)}**, download in the leg: **{fmt(download)}**, "
      f"together **{fmt((upload or 0) + (download or 0))}**")

warm_leg = med(total["cache-warm"])
rest = sorted(((med([seg[n] for seg, _ in legs["cache-warm"] if n in seg]) or 0, n) for n in names), reverse=True)[:3]
print()
print(f"Where the warm leg's {warm_leg:.1f} s go: " + "; ".join(f"{n} {t:.2f} s" for t, n in rest)
      + ". None of it is compiling; it is starting the leg's own dockerd and the build program's probes of the engine, "
        "binfmt, registry and base image before its first build.")
print()
cold_prepare, warm_prepare = med(critical["prepare-cold"]), med(critical["prepare-warm"])
if warm_prepare <= warm_leg:
    verdict = "The prepare job wins on wall time here, against what the generated workflows do; revisit BuildProgramCache."
elif cold_prepare > cold:
    verdict = "Per-leg cache wins on wall time warm and cold; it needs no extra job, and the generated workflows keep it."
else:
    verdict = ("Per-leg cache wins on wall time warm, which is every run whose build inputs did not change; it needs no "
               "extra job, and the generated workflows keep it.")
prepare_alone = med([t for _, t in prepares["prepare-warm"]])
print("**Choice: " + ("per-leg cache" if warm_prepare > warm_leg else "prepare job") + f".** Warm, a leg with its own cache reaches "
      f"`docker build` after {warm_leg:.1f} s; with a prepare job, {warm_prepare:.1f} s from the prepare job's start "
      f"(the job alone {prepare_alone:.1f} s). Here that gap is small, because what a second job costs on GitHub is zero on "
      "this machine: a runner assigned to it, checkout and setup-dotnet (not emulated here), all before any leg can start. "
      f"The hand-off itself costs about the same either way ({fmt(restore)} s restore against {fmt((upload or 0) + (download or 0))} s upload + download). Cold, "
      f"the prepare job puts one compile in front of every leg ({cold_prepare:.1f} s to the first `docker build`, against "
      f"{cold:.1f} s for a leg compiling itself; on GitHub each leg compiles on its own runner at once), and saves runner "
      "minutes only then: N−1 compiles, once per change of the build's inputs. " + verdict)
