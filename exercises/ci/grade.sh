#!/usr/bin/env bash
# Grades a student repository (the released exercises) with VirtLab, for any CI that runs a
# command, or by hand. Written to the student repository by `virtlab exercises release`.
#
#   ci/grade.sh                                 grade every exercise; exit 1 if any point was lost
#   ci/grade.sh --exercise 06-sizing --group visible
#                                               grade one test group (one CI step per group)
#   ci/grade.sh --setup-only                    only find or build virtlab
#   ci/grade.sh --summary                       print the points of the groups graded so far, as
#                                               Markdown (appended to $GITHUB_STEP_SUMMARY if set)
#   ci/grade.sh --check                         exit 1 if any group graded so far lost points
#
# Results go to virtlab-results/: JUnit XML (<exercise>-<group>.xml), Markdown and exit codes.
#
# Where virtlab comes from, first found:
#   $VIRTLAB          a command that runs it, e.g. "virtlab" or "dotnet /opt/virtlab/VirtLab.Cli.dll"
#   virtlab           on the PATH (installed as a .NET tool)
#   $VIRTLAB_SRC      a checkout of the VirtLab kit, built here into .virtlab/bin
#   $VIRTLAB_REPO     a git URL of the kit, cloned (at $VIRTLAB_REF, default: its default branch)
#                     into .virtlab/src and built
# The student whose variant is graded: $VIRTLAB_STUDENT (in GitHub Actions: the pushing user).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/virtlab-results"
student="${VIRTLAB_STUDENT:-anonymous}"
mode=grade
exercise=""
group=""
while (($# > 0)); do
  case "$1" in
    --setup-only) mode=setup ;;
    --summary) mode=summary ;;
    --check) mode=check ;;
    --exercise) exercise="${2:?--exercise needs an id}"; shift ;;
    --group) group="${2:?--group needs a name}"; shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "grade.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

find_virtlab() {
  if [[ -n "${VIRTLAB:-}" ]]; then read -r -a virtlab <<< "$VIRTLAB"; return; fi
  if command -v virtlab > /dev/null; then virtlab=(virtlab); return; fi
  local built="$root/.virtlab/bin/VirtLab.Cli.dll"
  if [[ ! -f "$built" ]]; then
    local src="${VIRTLAB_SRC:-}"
    if [[ -z "$src" ]]; then
      if [[ -z "${VIRTLAB_REPO:-}" ]]; then
        echo "grade.sh: no virtlab: set VIRTLAB, VIRTLAB_SRC or VIRTLAB_REPO (see ci/grade.sh --help)" >&2
        exit 2
      fi
      src="$root/.virtlab/src"
      if [[ ! -d "$src" ]]; then
        echo "==> cloning $VIRTLAB_REPO ${VIRTLAB_REF:+at $VIRTLAB_REF}" >&2
        git clone --quiet --depth 1 ${VIRTLAB_REF:+--branch "$VIRTLAB_REF"} "$VIRTLAB_REPO" "$src"
      fi
    fi
    echo "==> building virtlab from $src" >&2
    dotnet build "$src/src/VirtLab.Cli" --configuration Release --output "$root/.virtlab/bin" --nologo --verbosity quiet >&2
  fi
  virtlab=(dotnet "$built")
}

case "$mode" in
  setup)
    find_virtlab
    "${virtlab[@]}" --version
    ;;
  grade)
    find_virtlab
    mkdir -p "$results"
    name="${exercise:-all}${group:+-$group}"
    args=(grade "$root" --exercises "$root" --student "$student" --quiet)
    [[ -n "$exercise" ]] && args+=(--exercise "$exercise")
    [[ -n "$group" ]] && args+=(--group "$group")
    status=0
    # One grading run: the table on the console, JUnit XML and Markdown to files.
    "${virtlab[@]}" "${args[@]}" --junit "$results/$name.xml" --markdown "$results/$name.md" || status=$?
    if ((status == 2)); then echo "grade.sh: virtlab could not grade (exit code 2)" >&2; exit 2; fi
    echo "$status" > "$results/$name.exit"
    exit "$status"
    ;;
  summary)
    out="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
    shopt -s nullglob
    for md in "$results"/*.md; do cat "$md" >> "$out"; echo >> "$out"; done
    ;;
  check)
    shopt -s nullglob
    lost=0
    for code in "$results"/*.exit; do
      if [[ "$(cat "$code")" != 0 ]]; then echo "lost points: $(basename "$code" .exit)"; lost=1; fi
    done
    exit "$lost"
    ;;
esac
