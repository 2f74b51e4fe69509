"""Writes the two workflows bench/ci-overhead/run.sh runs, both derived from the generated dev.yml.

bench-leg.yml: dev.yml with its matrix cut to its first leg (hello, linux/amd64) and without the merge and cleanup
jobs (a pull-request run skips them anyway): one leg shows a leg's overhead without five compiles sharing two cores.
bench-prepare.yml: the alternative layout, one `prepare` job that compiles the build (restoring and saving the same
cache) and uploads build/bin with its stamp as an artifact; the leg downloads it in place of its own cache step.
Usage: python3 workflows.py <dev.yml> <out-dir>
"""
import copy
import sys

import yaml

dev = yaml.safe_load(open(sys.argv[1]))
out = sys.argv[2]
build = dev["jobs"]["build"]
build["strategy"]["matrix"]["include"] = build["strategy"]["matrix"]["include"][:1]
leg = {"name": "Bench leg", "on": dev["on"], "permissions": dev.get("permissions", {}), "jobs": {"build": build}}
if "env" in dev:
    leg["env"] = dev["env"]

cache_steps = [s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
if len(cache_steps) != 1:
    sys.exit(f"error: expected one actions/cache step in dev.yml's build job, found {len(cache_steps)}; update workflows.py.")
cache = cache_steps[0]
checkout = [s for s in build["steps"] if str(s.get("uses", "")).startswith(("actions/checkout@", "actions/setup-dotnet@"))]

prepare_job = {
    "runs-on": "ubuntu-24.04",
    "steps": copy.deepcopy(checkout) + [
        copy.deepcopy(cache),
        {"name": "Compile the build program", "run": "./build.sh --help > /dev/null"},
        {"name": "Upload the build program", "uses": "actions/upload-artifact@v6",
         "with": {"name": "build-program", "path": "build/bin\n.nuke/temp/build.stamp", "include-hidden-files": True,
                  "if-no-files-found": "error", "retention-days": 1}},
    ],
}
prepared_build = copy.deepcopy(build)
prepared_build["needs"] = ["prepare"]
prepared_build["steps"] = [
    {"name": "Download the build program", "uses": "actions/download-artifact@v7", "with": {"name": "build-program", "path": "."}}
    if str(s.get("uses", "")).startswith("actions/cache@") else s
    for s in prepared_build["steps"]
]
prepare = dict(leg, name="Bench prepare", jobs={"prepare": prepare_job, "build": prepared_build})

for name, workflow in (("bench-leg", leg), ("bench-prepare", prepare)):
    with open(f"{out}/{name}.yml", "w") as f:
        f.write("# Written by bench/ci-overhead/workflows.py from the generated dev.yml; not a committed workflow.\n")
        yaml.safe_dump(workflow, f, sort_keys=False, width=1000)
