#!/usr/bin/env bash
# Release ams-job-wait: scripts/release.sh 1.2.0 [--no-push]
#
# Refuses unless the version is X.Y.Z, newer than every v* tag, equal to package.json's and has a CHANGELOG.md
# section; the working tree is clean; dist/ is a fresh build of src/; and the tests pass. Then it tags vX.Y.Z,
# moves the major tag vX to the same commit (what `uses: <owner>/ams-job-wait@vX` resolves to) and pushes both.
#
# RELEASE_CHECK_DIST and RELEASE_TEST replace the two checks (the script's own tests stub them);
# RELEASE_REMOTE (default origin) is where the tags go.
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

cd "$(git rev-parse --show-toplevel)"

clean() { [[ -z "$(git status --porcelain --untracked-files=normal)" ]]; }
clean || die "the working tree is not clean: commit or stash first (git status)."

git rev-parse -q --verify "refs/tags/$tag" >/dev/null && die "$tag already exists: releases are immutable, pick the next version."
latest="$(git tag --list 'v*.*.*' | sed 's/^v//' | sort -V | tail -n 1)"
if [[ -n "$latest" && "$(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -n 1)" != "$version" ]]; then
  die "$tag is older than the latest release v$latest."
fi

package_version="$(node -p "require('./package.json').version")"
[[ "$package_version" == "$version" ]] ||
  die "package.json says $package_version: set \"version\": \"$version\" and commit it first."
grep -q "^## \[$version\]" CHANGELOG.md || die "CHANGELOG.md has no '## [$version]' section: move [Unreleased] there first."

echo "release: checking that dist/ is a fresh build of src/"
${RELEASE_CHECK_DIST:-npm run check-dist} || die "dist/ is stale: run npm run bundle and commit dist/."
echo "release: running the tests"
${RELEASE_TEST:-npm test} || die "the tests failed."
clean || die "the tests left the working tree changed (git status): commit or fix first."

commit="$(git rev-parse HEAD)"
git tag -a "$tag" -m "ams-job-wait $tag" "$commit"
git tag -f -a "$major" -m "ams-job-wait $major (now $tag)" "$commit" >/dev/null
echo "release: tagged $tag and moved $major to ${commit:0:12}"

if [[ "$push" == yes ]]; then
  git push "$remote" "refs/tags/$tag"
  git push --force "$remote" "refs/tags/$major"
  echo "release: pushed $tag and $major to $remote. Publish the GitHub release for $tag (immutable releases on)."
fi
