"""A built wheel ships every module, the templates, static files, content and migrations, and
building it prints no setuptools warnings (they used to bury the demo logins of `make run`)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    [built] = out.glob("*.whl")
    with zipfile.ZipFile(built) as archive:
        return build.stdout + build.stderr, set(archive.namelist())


def _shipped(folder: Path, prefix: str) -> set[str]:
    return {f"{prefix}/{path.relative_to(folder).as_posix()}" for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_building_prints_no_setuptools_warnings(wheel):
    output, _ = wheel
    assert "would be ignored" not in output and "Warning" not in output, output


def test_every_module_and_content_file_of_the_package_ships(wheel):
    _, names = wheel
    assert _shipped(ROOT / "companion", "companion") <= names


@pytest.mark.parametrize("folder", ["templates", "static", "migrations"])
def test_templates_static_files_and_migrations_ship_inside_the_package(wheel, folder):
    _, names = wheel
    assert _shipped(ROOT / folder, f"companion/{folder}") <= names
