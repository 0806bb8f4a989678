"""Package discovery: `companion` and its subfolders, plus the top-level templates, static
files and migrations, shipped inside the package (see `companion.resource_dir`)."""

from setuptools import find_namespace_packages, setup

SHIPPED = ("templates", "static", "migrations")  # top-level folders installed as companion.<name>
SKIP = ["*__pycache__*"]

packages = find_namespace_packages(include=["companion", "companion.*"], exclude=SKIP)
package_dir = {"companion": "companion"}
for folder in SHIPPED:
    package_dir[f"companion.{folder}"] = folder
    packages += [f"companion.{folder}"] + [
        f"companion.{folder}.{sub}" for sub in find_namespace_packages(where=folder, exclude=SKIP)
    ]

setup(packages=packages, package_dir=package_dir)
