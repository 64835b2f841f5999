"""`insats NAME …` builds the command with NAME only (a command starts without importing
every other command's modules), and every registered NAME is a working command."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from insats.cli.main import COMMANDS, build_app


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_alone_answers_its_help(name: str) -> None:
    result = CliRunner().invoke(build_app(name), [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"insats {name}" in result.output


def test_the_whole_command_lists_every_name() -> None:
    group = get_command(build_app())
    assert set(group.list_commands(None)) == set(COMMANDS)  # type: ignore[attr-defined, arg-type]


def test_a_command_imports_only_its_own_modules() -> None:
    probe = ("import sys; sys.argv = ['insats', 'rules', '--help']\n"
             "from insats.cli.main import run\n"
             "try:\n    run()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('insats.cli.')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "insats.cli.rules_commands" in loaded
    assert "insats.cli.plan_commands" not in loaded and "insats.cli.serve_command" not in loaded
