"""Build hook: an installed Etikdialog carries its migrations and the think tank's content.

Both live at the top of the repository (`migrations/`, `content/`), outside the `app` package, so
setuptools would leave them out of the wheel and an installed app could neither upgrade its
database nor load its questions. The build copies them into the package as `app/_bundled/`;
`app.config.shipped()` reads the checkout's folders when there are any and these copies otherwise.
Everything else (metadata, dependencies, package data) is declared in setup.cfg.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("content", "migrations")


class BuildWithBundledData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout's own folders
        for name in BUNDLED:
            target = Path(self.build_lib) / "app" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundledData})
