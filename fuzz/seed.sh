#!/usr/bin/env bash
# Fills each fuzz target's corpus with the project's own inputs: fixture sites, the shipped
# content, and the regression files kept from earlier fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus/front_matter_markdown
mkdir -p "$corpus"
find tests/fixtures content -name '*.md' -type f | while read -r file; do
  cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
done
echo "seeded $(ls "$corpus" | wc -l) inputs into $corpus"
