"""A student's Jupyter server for the hub: ``jupyterhub-singleuser`` without what it never uses.

The hub starts this instead of ``jupyterhub-singleuser`` (``c.Spawner.cmd`` in
``jupyterhub_config.py``, ``singleuser.cmd`` in ``values.yaml``). It is the same server, the
JupyterHub single-user *extension* of Jupyter Server with JupyterLab, started the same way; what it
changes is what gets imported (measured in ``benchmarks/bench_class.py``, see the README's
deployment section):

- ``jupyterhub.singleuser`` reaches the hub's database layer (SQLAlchemy ORM and Alembic, ~25 MB
  and ~0.3 CPU-s) through ``jupyterhub.log``, which imports the hub's page handlers only to ask
  whether a request was the *hub's* health check. A student's server never opens the hub's
  database: ``jupyterhub.orm`` is loaded lazily (on first use, which never comes), and the hub's
  page handlers are not imported (their health-check class is a stand-in no request matches, as
  none of the hub's handlers run in a student's server).
- ``jsonschema`` builds a grammar for checking "iri" strings when ``rfc3987_syntax`` is installed
  (~1.5–2 CPU-s and 16 MB for every server). No schema a Jupyter server validates uses that format:
  the package is hidden, and ``jsonschema`` skips the check as it does when it is not installed.
- JupyterLab asks ``node`` for yarn's configuration when it is imported (~0.45 CPU-s and a
  95 MB process per server start, for the npm registry it would build extensions from; a
  student's server never builds JupyterLab): the answer is "no yarn configuration", as when node
  is not installed.
- The language-server extension does not look for language servers (``npm prefix -g``, ~0.2
  CPU-s per start): none is installed for the course.
- Files are created ``0640`` (umask 027): a hand-in is readable by the teachers' group, not by
  other students (see ``make_handin_folder`` in ``jupyterhub_config.py``).

Everything else is ``jupyterhub.singleuser.main()``. ``ARGKIT_LEAN_SERVER=0`` turns the import
changes off (to compare, or if a future JupyterHub needs them).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Sequence

LAZY = ("jupyterhub.orm",)


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the modules in ``LAZY`` as usual, but runs them only when first used."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None):
        if name not in LAZY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


class HealthCheckHandler:
    """Stands in for the hub's own health-check page: no handler of a student's server is one."""


def _no_yarn_config(logger: object) -> dict[str, dict[str, str]]:
    return {"yarn config": {}, "npm config": {}}  # what JupyterLab gets when node is not installed


def lean() -> None:
    """Make the imports of ``jupyterhub.singleuser`` lean (see the module docstring)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed"
    sys.meta_path.insert(0, _LazyFinder())
    import jupyterlab.commands

    jupyterlab.commands._yarn_config = _no_yarn_config
    if not any(a.startswith("--LanguageServerManager.autodetect") for a in sys.argv):
        sys.argv.append("--LanguageServerManager.autodetect=False")
    import jupyterhub

    if "jupyterhub.handlers" in sys.modules:
        return  # already imported for real: nothing to spare
    # The package without its __init__ (which imports every hub handler); its submodules
    # still import normally if anything asks for one.
    handlers = types.ModuleType("jupyterhub.handlers")
    handlers.__path__ = [os.path.join(os.path.dirname(jupyterhub.__file__), "handlers")]
    pages = types.ModuleType("jupyterhub.handlers.pages")
    pages.HealthCheckHandler = HealthCheckHandler  # type: ignore[attr-defined]
    sys.modules["jupyterhub.handlers"] = handlers
    sys.modules["jupyterhub.handlers.pages"] = pages


def main() -> int:
    os.umask(0o027)
    if os.environ.get("ARGKIT_LEAN_SERVER", "1") != "0":
        lean()
    from jupyterhub.singleuser import main as singleuser

    return singleuser()


if __name__ == "__main__":
    sys.exit(main())
