// @actions/workflow-parser imports its schema as `import Schema from "../workflow-v1.0.min.json"` without an
// import attribute; Node 20 refuses JSON modules without `{ type: "json" }`, so this load hook adds it.
export async function load(url, context, nextLoad) {
  if (new URL(url).pathname.endsWith(".json")) {
    const importAttributes = { ...context.importAttributes, type: "json" };
    return nextLoad(url, { ...context, importAttributes });
  }
  return nextLoad(url, context);
}
