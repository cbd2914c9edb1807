#!/usr/bin/env bash
# The project's test command: bash scripts/test.sh [pytest args...]
#
# Sets up .venv, starts a throw-away PostgreSQL cluster (unless SENGA_TEST_POSTGRES_URL is set),
# then runs ruff, mypy, import-linter and pytest, stopping at the first failure.
set -euo pipefail

cd "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1
# Tests never need a display; this also makes local runs behave like CI.
export QT_QPA_PLATFORM=offscreen

banner() { printf '==> %s\n' "$*"; }

step() {
	local name=$1 start=$SECONDS
	shift
	banner "$name"
	"$@"
	printf '    %s: ok (%ds)\n' "$name" $((SECONDS - start))
}

PG_DIR=""
stop_pg() {
	if [[ -n $PG_DIR ]]; then
		bash scripts/pg-cluster.sh stop "$PG_DIR" 2>/dev/null ||
			echo "warning: could not stop the PostgreSQL cluster in $PG_DIR" >&2
		PG_DIR=""
	fi
}
trap stop_pg EXIT
# Turn signals into a normal exit so the EXIT trap stops the cluster.
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -x .venv/bin/python ]]; then
	step "create .venv (${PYTHON:-python3})" "${PYTHON:-python3}" -m venv .venv
fi
install_deps() {
	.venv/bin/python -m pip install --quiet --upgrade pip
	.venv/bin/python -m pip install --quiet -e '.[dev]'
}
step "pip install -e .[dev]" install_deps

if [[ -n ${SENGA_TEST_POSTGRES_URL:-} ]]; then
	banner "PostgreSQL: using SENGA_TEST_POSTGRES_URL from the environment"
elif bash scripts/pg-cluster.sh bindir >/dev/null 2>&1; then
	banner "start throw-away PostgreSQL"
	PG_DIR=$(mktemp -d /tmp/senga-pg.XXXXXX)
	if ! SENGA_TEST_POSTGRES_URL=$(bash scripts/pg-cluster.sh start "$PG_DIR"); then
		echo "error: PostgreSQL is installed but the test cluster did not start (see above)" >&2
		exit 1
	fi
	export SENGA_TEST_POSTGRES_URL
	printf '    PostgreSQL at %s\n' "$SENGA_TEST_POSTGRES_URL"
elif [[ ${SENGA_REQUIRE_POSTGRES:-} == 1 ]]; then
	echo "error: SENGA_REQUIRE_POSTGRES=1 but PostgreSQL is not installed" >&2
	exit 1
else
	echo "warning: PostgreSQL not found: database tests run on SQLite only (install postgresql to run them on both)" >&2
fi

step "ruff check" .venv/bin/ruff check .
step "ruff format --check" .venv/bin/ruff format --check .
step "mypy" .venv/bin/mypy
step "lint-imports" .venv/bin/lint-imports
step "pytest" .venv/bin/python -m pytest "$@"
