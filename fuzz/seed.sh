#!/usr/bin/env bash
# Fills each fuzz target's corpus with the project's own inputs: fixture sites, the shipped
# content, and the regression files kept from earlier fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

# seed TARGET EXTENSION: copies every *.EXTENSION file of the fixtures and the content into
# the target's corpus, named after its path.
seed() {
  local corpus="fuzz/corpus/$1"
  mkdir -p "$corpus"
  find tests/fixtures content -name "*.$2" -type f | while read -r file; do
    cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
  done
  echo "seeded $(ls "$corpus" | wc -l) inputs into $corpus"
}

seed front_matter_markdown md
seed quiz_flow yaml

# file_names: every path of the fixtures, the content and the themes, one per input.
mkdir -p fuzz/corpus/file_names
find tests/fixtures content themes -type f | while read -r file; do
  printf '%s' "$file" > "fuzz/corpus/file_names/$(echo "$file" | tr '/' '_')"
done
echo "seeded $(ls fuzz/corpus/file_names | wc -l) inputs into fuzz/corpus/file_names"
