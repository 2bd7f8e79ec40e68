#!/bin/sh
# git-commit.sh PACKAGE_DIR OUT_FILE: writes a Swift file with the git commit PACKAGE_DIR is checked out at:
# "<sha>", "<sha>-dirty" (uncommitted or untracked changes), or "unknown" when that cannot be known (no git, not a
# git checkout such as a source tarball, PACKAGE_DIR inside some other repository, any git error). Never a guess.
# Run by Plugins/GitCommitPlugin when git state or a source file changes; OUT_FILE is rewritten only when its text changes.
pkg=$1 out=$2 commit=unknown
if command -v git >/dev/null 2>&1; then
    g() { git -C "$pkg" -c safe.directory='*' --no-optional-locks "$@" 2>/dev/null; }
    top=$(g rev-parse --show-toplevel) || top=
    if [ -n "$top" ] && [ "$(cd "$top" 2>/dev/null && pwd -P)" = "$(cd "$pkg" && pwd -P)" ]; then
        sha=$(g rev-parse --verify -q 'HEAD^{commit}') || sha=
        case $sha in
            *[!0-9a-f]*|'') ;;
            *) if [ ${#sha} -ge 40 ] && st=$(g status --porcelain); then
                   if [ -n "$st" ]; then commit="$sha-dirty"; else commit=$sha; fi
               fi ;;
        esac
    fi
fi
tmp="$out.tmp.$$"
printf '%s\nenum BuildGitCommit {\n    static let value = "%s"\n}\n' \
    '// Generated at build time by Plugins/GitCommitPlugin (Plugins/git-commit.sh). Do not edit.' \
    "$commit" > "$tmp" || exit 1
if cmp -s "$tmp" "$out"; then rm -f "$tmp"; else mv -f "$tmp" "$out"; fi
