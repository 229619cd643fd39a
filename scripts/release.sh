#!/usr/bin/env bash
# Release ams-job-wait: scripts/release.sh X.Y.Z [--no-push]
#
# Refuses unless the version is X.Y.Z and newer than every v* tag (here and on the remote); the working tree is
# clean; HEAD is exactly the remote's main, fetched now (a tag must never name a commit the remote lacks);
# CHANGELOG.md has entries under [Unreleased]; and the tests pass. Then one release commit moves [Unreleased]
# under "## [X.Y.Z] - <today, UTC>" and sets the version in package.json and package-lock.json; vX.Y.Z and the
# major tag vX (what `uses: <owner>/ams-job-wait@vX` resolves to) are made on it; and the commit and both tags
# are pushed with one `git push --atomic`: all of them land, or none.
#
# RELEASE_REMOTE (default origin; a URL works too) and RELEASE_BRANCH (default main) say where to release to.
# RELEASE_TEST_CMD (default `npm test`) is the test command (the script's own tests replace it).
# RELEASE_TESTED_SHA: the commit whose tests already passed in another job (the Release workflow tests without
# write access, then tags here); when HEAD is that commit, the tests are not run again.
set -euo pipefail

die() {
  echo "release: $*" >&2
  exit 1
}

version="${1:-}"
push=yes
[[ "${2:-}" == "--no-push" ]] && push=no
[[ "$version" =~ ^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] ||
  die "'$version' is not a version: give X.Y.Z, e.g. scripts/release.sh 1.2.0"
version="${version#v}"
tag="v$version"
major="v${version%%.*}"
remote="${RELEASE_REMOTE:-origin}"
branch="${RELEASE_BRANCH:-main}"

cd "$(git rev-parse --show-toplevel)"

clean() { [[ -z "$(git status --porcelain --untracked-files=normal)" ]]; }
clean || die "the working tree is not clean: commit or stash first (git status)."

echo "release: fetching $branch and the tags from $remote"
git fetch --quiet --force --tags "$remote" "refs/heads/$branch" || die "cannot fetch $branch from $remote."
head="$(git rev-parse HEAD)"
upstream="$(git rev-parse FETCH_HEAD)"
[[ "$head" == "$upstream" ]] ||
  die "HEAD (${head:0:12}) is not $remote's $branch (${upstream:0:12}): push or merge through $branch first, then release from it (git checkout --detach $remote/$branch)."

git rev-parse -q --verify "refs/tags/$tag" >/dev/null && die "$tag already exists: releases are immutable, pick the next version."
latest="$(git tag --list 'v*.*.*' | sed 's/^v//' | sort -V | tail -n 1)"
if [[ -n "$latest" && "$(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -n 1)" != "$version" ]]; then
  die "$tag is older than the latest release v$latest."
fi

# The entries under [Unreleased]: its lines up to the next version heading that say something ("- …").
unreleased="$(awk '/^## \[Unreleased\]/ {on=1; next} /^## \[/ {on=0} on && /^[-*] /' CHANGELOG.md)"
[[ -n "$unreleased" ]] || die "CHANGELOG.md has no entries under '## [Unreleased]': nothing to release."

if [[ -n "${RELEASE_TESTED_SHA:-}" && "$RELEASE_TESTED_SHA" == "$head" ]]; then
  echo "release: the tests passed for ${head:0:12} in a separate job"
else
  echo "release: running the tests (${RELEASE_TEST_CMD:-npm test})"
  ${RELEASE_TEST_CMD:-npm test} || die "the tests failed: nothing was tagged."
  clean || die "the tests left the working tree changed (git status): commit or fix first."
fi

today="$(date -u +%Y-%m-%d)"
VERSION="$version" TODAY="$today" node --input-type=module -e '
import { existsSync, readFileSync, writeFileSync } from "node:fs"
const { VERSION: v, TODAY: today } = process.env
const md = readFileSync("CHANGELOG.md", "utf8")
let out = md.replace(/^## \[Unreleased\][^\n]*\n/m, `## [Unreleased]\n\n## [${v}] - ${today}\n`)
// Link references, when there are any: [Unreleased] (before the first release: …/commits/main) now compares
// from the new tag, and the new version links its tag.
const link = /^\[Unreleased\]: (\S+?)\/(?:compare\/\S+\.\.\.HEAD|commits\/\S+)$/m.exec(out)
if (link) {
  out = out.replace(link[0], `[Unreleased]: ${link[1]}/compare/v${v}...HEAD`)
  const own = new RegExp(`^\\[${v.replace(/\./g, "\\.")}\\]: .*$`, "m")
  const line = `[${v}]: ${link[1]}/releases/tag/v${v}`
  out = own.test(out) ? out.replace(own, line) : out.replace(/^\[Unreleased\]: .*$/m, m => `${m}\n${line}`)
}
writeFileSync("CHANGELOG.md", out)
for (const file of ["package.json", "package-lock.json"]) {
  if (!existsSync(file)) continue
  const json = JSON.parse(readFileSync(file, "utf8"))
  json.version = v
  if (json.packages?.[""]) json.packages[""].version = v
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
}
' || die "could not write the release commit's CHANGELOG.md and package versions."

git add CHANGELOG.md package.json
[[ -f package-lock.json ]] && git add package-lock.json
git commit --quiet -m "Release $tag" || die "could not commit the release."
commit="$(git rev-parse HEAD)"
previous_major="$(git rev-parse -q --verify "refs/tags/$major" || true)"
git tag -a "$tag" -m "ams-job-wait $tag" "$commit"
git tag -f -a "$major" -m "ams-job-wait $major (now $tag)" "$commit" >/dev/null
echo "release: committed ${commit:0:12} (CHANGELOG $version - $today, package versions), tagged $tag and moved $major"

refs=("$commit:refs/heads/$branch" "refs/tags/$tag" "+refs/tags/$major:refs/tags/$major")
if [[ "$push" == yes ]]; then
  if ! git push --atomic "$remote" "${refs[@]}"; then
    # Undo the local release too, so that a rerun after the fix starts from the same place.
    git tag -d "$tag" >/dev/null
    if [[ -n "$previous_major" ]]; then git tag -f "$major" "$previous_major" >/dev/null; else git tag -d "$major" >/dev/null; fi
    git reset --quiet --hard "$head"
    die "the push was refused: nothing was released ($remote is unchanged, and so is this clone)."
  fi
  echo "release: pushed the release commit to $branch, $tag and $major to $remote in one atomic push."
else
  echo "release: not pushed. To publish: git push --atomic $remote ${refs[*]}"
fi
