"""pyproject ships every subpackage, and the templates, static files and migrations."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "companion").rglob("__init__.py")
    }
    assert found <= listed


def test_templates_static_and_migrations_are_mapped_into_the_package():
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"]
    assert mapping["companion.templates"] == "templates"
    assert mapping["companion.static"] == "static"
    assert mapping["companion.migrations"] == "migrations"
