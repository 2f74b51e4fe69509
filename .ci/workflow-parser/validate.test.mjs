// Runs validate.mjs as users and the C# tests do (a child process) on workflows written to a temp folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const validator = join(here, "validate.mjs");
const reference = join(here, "..", "..", "..", "shared", "reference", "hand-written-release.yml");

function run(...args) {
  return new Promise(resolve => {
    execFile(process.execPath, [validator, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

function workflow(dir, name, text) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const matrixWorkflow = `name: release
on:
  workflow_dispatch:
jobs:
  build:
    strategy:
      fail-fast: false
      matrix:
        include:
          - platform: linux/arm64
            runner: ubuntu-24.04-arm
    runs-on: \${{ matrix.runner }}
    steps:
      - uses: actions/checkout@v4
      - run: ./build.sh ExportDigest --platform \${{ matrix.platform }}
  merge:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - run: ./build.sh MergeManifest --skip
`;

test("A valid matrix workflow parses with zero errors and exit code 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wfp-"));
  try {
    const result = await run(workflow(dir, "release.yml", matrixWorkflow));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /release\.yml: ok \(2 jobs\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("The hand-written reference release workflow parses with zero errors", { skip: !existsSync(reference) && "shared/reference is not beside the repository" }, async () => {
  const result = await run(reference);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test("A workflow with an unknown key and a missing runs-on reports each error with its line and exits 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wfp-"));
  try {
    const broken = matrixWorkflow.replace("workflow_dispatch:", "push:\n    branchez: [main]").replace("    runs-on: ubuntu-latest\n", "");
    const result = await run(workflow(dir, "broken.yml", broken));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /broken\.yml:4:5: Unexpected value 'branchez'/);
    assert.match(result.stdout, /broken\.yml:\d+:\d+: Required property is missing: runs-on/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("A schema-valid workflow with a bad cron fails in conversion and exits 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wfp-"));
  try {
    const cron = matrixWorkflow.replace("workflow_dispatch:", "schedule:\n    - cron: 'every day'");
    const result = await run("--json", workflow(dir, "cron.yml", cron));
    assert.equal(result.code, 1);
    const [report] = JSON.parse(result.stdout);
    assert.ok(report.errors.some(e => e.message.startsWith("Invalid cron expression")), result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("A missing file is named and exits 2", async () => {
  const result = await run(join(tmpdir(), "no-such-workflow.yml"));
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot read workflow file '.*no-such-workflow\.yml': ENOENT/);
});
