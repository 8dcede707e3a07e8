# One task runner. `make test` is the README's test command.
.PHONY: test lint bench serve demo

test:
	bash scripts/test-prerequisites
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

lint:
	.venv/bin/ruff check src tests bench && .venv/bin/mypy && .venv/bin/lint-imports && .venv/bin/trellis manage makemigrations --check --dry-run

bench:
	.venv/bin/python -m bench

serve:
	.venv/bin/trellis serve

demo:
	.venv/bin/trellis demo
