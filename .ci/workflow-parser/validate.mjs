#!/usr/bin/env node
// Validates GitHub Actions workflow files with GitHub's own parser (@actions/workflow-parser), the same
// schema and conversion the Actions service and the VS Code extension use.
//
//   node .ci/workflow-parser/validate.mjs [--json] <workflow.yml>...
//
// Prints each error as `<file>:<line>:<column>: <message>`; exits 1 when any workflow has an error,
// 2 on bad usage or an unreadable file, 0 when every workflow parsed and converted cleanly.
import { readFile } from "node:fs/promises";
import { register } from "node:module";

// The package's JSON schema import needs an import attribute under Node 20; register the hook before loading it.
register("./json-import-loader.mjs", import.meta.url);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");

const args = process.argv.slice(2);
const json = args.includes("--json");
const files = args.filter(a => a !== "--json");
if (files.length === 0) {
  console.error("usage: node validate.mjs [--json] <workflow.yml>... (give at least one workflow file)");
  process.exit(2);
}

async function validate(file) {
  let content;
  try {
    content = await readFile(file, "utf8");
  } catch (err) {
    return { file, unreadable: `cannot read workflow file '${file}': ${err.code ?? err.message}` };
  }
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  // Conversion adds the semantic checks (needs, matrix, cron, expressions) on top of the schema; its errors
  // land in the same context, so reading the context afterwards reports both.
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const errors = parsed.context.errors.getErrors().map(e => ({
    line: e.range?.start.line,
    column: e.range?.start.column,
    message: e.rawMessage,
  }));
  return { file, jobs: template.jobs?.length ?? 0, errors };
}

const results = [];
for (const file of files) {
  results.push(await validate(file));
}

const unreadable = results.filter(r => r.unreadable);
const failed = results.filter(r => r.errors?.length > 0);
if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  for (const r of results) {
    if (r.unreadable) {
      console.error(r.unreadable);
    } else if (r.errors.length === 0) {
      console.log(`${r.file}: ok (${r.jobs} job${r.jobs === 1 ? "" : "s"})`);
    } else {
      for (const e of r.errors) {
        // YAML syntax errors carry a multi-line excerpt; the first line names the problem (--json keeps it all).
        console.log(`${r.file}:${e.line ?? "?"}:${e.column ?? "?"}: ${e.message.trim().split("\n")[0]}`);
      }
    }
  }
  const errorCount = failed.reduce((n, r) => n + r.errors.length, 0);
  const unreadableNote = unreadable.length > 0 ? `, ${unreadable.length} unreadable` : "";
  console.log(`workflow-parser: ${results.length} workflow(s), ${errorCount} error(s) in ${failed.length} of them${unreadableNote}`);
}
process.exit(unreadable.length > 0 ? 2 : failed.length > 0 ? 1 : 0);
