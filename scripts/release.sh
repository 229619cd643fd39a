#!/usr/bin/env bash
# Release ams-job-wait: scripts/release.sh [--no-push | --dry-run] [--] X.Y.Z   (--help: the options)
#
# Refuses unless the version is X.Y.Z and newer than every v* tag (here and on the remote); the working tree is
# clean; HEAD is exactly the remote's main, fetched now (a tag must never name a commit the remote lacks);
# CHANGELOG.md has entries under [Unreleased]; and the tests pass. Then one release commit moves [Unreleased]
# under "## [X.Y.Z] - <today, UTC>" and sets the version in package.json and package-lock.json; vX.Y.Z and the
# major tag vX (what `uses: <owner>/ams-job-wait@vX` resolves to) are made on it; and the commit and both tags
# are pushed with one `git push --atomic`: all of them land, or none. --dry-run makes every check, then shows
# the release commit's changes and the push, and changes nothing (no commit, tag or push).
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

usage() {
  cat <<'USAGE'
Usage: scripts/release.sh [options] [--] X.Y.Z
  X.Y.Z       the version to release (a leading v is allowed: v1.2.0)
  --no-push   commit and tag here, do not push; prints the push command to publish
  --dry-run   every check (fetch, versions, CHANGELOG, tests), then shows the release commit's changes and the
              push; no commit, no tag, no push
  --help, -h  this text
Environment: RELEASE_REMOTE (default origin; a remote's name or a URL), RELEASE_BRANCH (default main),
  RELEASE_TEST_CMD (default npm test), RELEASE_TESTED_SHA (the commit whose tests passed in another job).
USAGE
}

# Every argument is known before anything happens: a typo (--no-pushh) or a flag from another tool must not
# release. The version is the one argument that is not an option; after --, even one that starts with -.
version=""
mode=push
versions=0
options=yes
for arg in "$@"; do
  if [[ "$options" == yes ]]; then
    case "$arg" in
      --) options=no; continue ;;
      -h | --help) usage; exit 0 ;;
      --no-push | --dry-run)
        want="${arg#--}"
        [[ "$mode" == push || "$mode" == "$want" ]] || die "--no-push and --dry-run do not go together: pick one."
        mode="$want"
        continue
        ;;
      -*) die "unknown option '$arg' (nothing was done): scripts/release.sh --help lists the options." ;;
    esac
  fi
  versions=$((versions + 1))
  version="$arg"
done
((versions <= 1)) || die "give one version, not $versions (nothing was done): scripts/release.sh X.Y.Z"
[[ "$version" =~ ^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] ||
  die "'$version' is not a version: give X.Y.Z, e.g. scripts/release.sh 1.2.0"
version="${version#v}"
tag="v$version"
major="v${version%%.*}"
remote="${RELEASE_REMOTE:-origin}"
branch="${RELEASE_BRANCH:-main}"

# Both go to git as arguments (after --, too): a remote's name or a URL, and a branch name, never an option.
[[ -n "$remote" && "$remote" != -* && ! "$remote" =~ [[:space:][:cntrl:]] ]] ||
  die "RELEASE_REMOTE '$remote' is not a remote: give a remote's name (origin) or a URL."
if [[ "$branch" == -* ]] || ! git check-ref-format "refs/heads/$branch"; then
  die "RELEASE_BRANCH '$branch' is not a branch name: give one like main."
fi

cd "$(git rev-parse --show-toplevel)"

clean() { [[ -z "$(git status --porcelain --untracked-files=normal)" ]]; }
clean || die "the working tree is not clean: commit or stash first (git status)."

echo "release: fetching $branch and the tags from $remote"
git fetch --quiet --force --tags -- "$remote" "refs/heads/$branch" || die "cannot fetch $branch from $remote."
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
# The release commit's files, written to $out: this clone, or a scratch folder for --dry-run.
out=.
if [[ "$mode" == dry-run ]]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
VERSION="$version" TODAY="$today" OUT="$out" node --input-type=module -e '
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
const { VERSION: v, TODAY: today, OUT: out } = process.env
// Every replacement below is a function: a $& or $1 in a link or anywhere else is text, not a pattern.
const md = readFileSync("CHANGELOG.md", "utf8")
const first = md.search(/^## /m)
// The preamble stops saying that a release is still to come ("The first release, 1.0.0, has not been tagged
// yet, …"): that sentence goes, wherever its line breaks are.
const preamble = md
  .slice(0, first)
  .replace(/(?<=[.!?]|\n)\s+(?:(?![.!?]\s)[\s\S])*?has not been tagged yet(?:(?![.!?]\s)[\s\S])*?[.!?](?=\s)/g, () => "")
let text = preamble + md.slice(first)
text = text.replace(/^## \[Unreleased\][^\n]*\n/m, () => `## [Unreleased]\n\n## [${v}] - ${today}\n`)
// Link references, when there are any: [Unreleased] (before the first release: …/commits/main) now compares
// from the new tag, and the new version links its tag.
const link = /^\[Unreleased\]: (\S+?)\/(?:compare\/\S+\.\.\.HEAD|commits\/\S+)$/m.exec(text)
if (link) {
  text = text.replace(link[0], () => `[Unreleased]: ${link[1]}/compare/v${v}...HEAD`)
  const own = new RegExp(`^\\[${v.replace(/\./g, "\\.")}\\]: .*$`, "m")
  const line = `[${v}]: ${link[1]}/releases/tag/v${v}`
  text = own.test(text) ? text.replace(own, () => line) : text.replace(/^\[Unreleased\]: .*$/m, m => `${m}\n${line}`)
}
writeFileSync(join(out, "CHANGELOG.md"), text)
for (const file of ["package.json", "package-lock.json"]) {
  if (!existsSync(file)) continue
  const json = JSON.parse(readFileSync(file, "utf8"))
  json.version = v
  if (json.packages?.[""]) json.packages[""].version = v
  writeFileSync(join(out, file), `${JSON.stringify(json, null, 2)}\n`)
}
' || die "could not write the release commit's CHANGELOG.md and package versions."

if [[ "$mode" == dry-run ]]; then
  echo "release: dry run: every check passed. The release commit would change:"
  for file in CHANGELOG.md package.json package-lock.json; do
    [[ -f "$out/$file" ]] && git --no-pager diff --no-index -- "$file" "$out/$file" || true
  done
  echo "release: dry run: it would commit 'Release $tag' on ${head:0:12}, tag it $tag, move $major to it, and push"
  echo "  git push --atomic -- $remote <release commit>:refs/heads/$branch refs/tags/$tag +refs/tags/$major:refs/tags/$major"
  echo "release: dry run: nothing was committed, tagged or pushed."
  exit 0
fi

git add CHANGELOG.md package.json
[[ -f package-lock.json ]] && git add package-lock.json
git commit --quiet -m "Release $tag" || die "could not commit the release."
commit="$(git rev-parse HEAD)"
previous_major="$(git rev-parse -q --verify "refs/tags/$major" || true)"
git tag -a "$tag" -m "ams-job-wait $tag" "$commit"
git tag -f -a "$major" -m "ams-job-wait $major (now $tag)" "$commit" >/dev/null
echo "release: committed ${commit:0:12} (CHANGELOG $version - $today, package versions), tagged $tag and moved $major"

refs=("$commit:refs/heads/$branch" "refs/tags/$tag" "+refs/tags/$major:refs/tags/$major")
if [[ "$mode" == push ]]; then
  if ! git push --atomic -- "$remote" "${refs[@]}"; then
    # Undo the local release too, so that a rerun after the fix starts from the same place.
    git tag -d "$tag" >/dev/null
    if [[ -n "$previous_major" ]]; then git tag -f "$major" "$previous_major" >/dev/null; else git tag -d "$major" >/dev/null; fi
    git reset --quiet --hard "$head"
    die "the push was refused: nothing was released ($remote is unchanged, and so is this clone)."
  fi
  echo "release: pushed the release commit to $branch, $tag and $major to $remote in one atomic push."
else
  echo "release: not pushed. To publish: git push --atomic -- $remote ${refs[*]}"
fi
