"""Tests for argkit.engine: the WASI functions of the browser engine, limits, and failure paths."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
import wasmtime

import argkit
from argkit import engine, render
from argkit.engine import _Wasi, render_dot, resolve_engine
from argkit.errors import EngineError
from argkit.model import ArgumentMap, Node, Relation

ROOT = Path(__file__).resolve().parent.parent
COURSE_MAPS = sorted((ROOT / "argmaps").glob("*.yaml"))
PART = "focus='<id>'"


def chain(n: int, attacks: int = 0) -> ArgumentMap:
    """A claim under a claim ``n`` deep, plus ``attacks`` cross-relations between far-apart claims."""
    nodes = [Node("n0", "Root claim.")]
    nodes += [Node(f"n{i}", f"Claim {i} says something.", parent=f"n{i - 1}",
                   stance="con" if i % 2 else "pro") for i in range(1, n)]
    rels = [Relation(f"n{(37 * k) % n}", "attacks", f"n{(91 * k + n // 2) % n}")
            for k in range(1, attacks + 1)]
    return ArgumentMap(title="Chain", nodes=tuple(nodes), relations=tuple(rels))


@pytest.fixture
def fresh_engine(monkeypatch, tmp_path):
    """Start the embedded engine afresh for this test, and again for the tests after it."""
    monkeypatch.setattr(engine, "_embedded", None)
    monkeypatch.setenv(engine.COMPILED_ENV, str(tmp_path / "compiled"))  # compiled from graphviz.wasm
    render.clear_cache()
    yield
    if engine._embedded is not None:
        engine._embedded.close()
    engine._embedded = None  # monkeypatch puts back the shared one
    render.clear_cache()


# -- the WASI functions used in the browser, run natively in wasmtime ------------------------------
class ShimHost:
    """graphviz.wasm in wasmtime with argkit's _Wasi as its only imports (no wasmtime WASI)."""

    def __init__(self) -> None:
        self.eng = wasmtime.Engine()
        self.module = wasmtime.Module(self.eng, engine._wasm_bytes())
        self.store = wasmtime.Store(self.eng)
        self.wasi = _Wasi()
        self.calls: list[str] = []
        linker = wasmtime.Linker(self.eng)
        functions = self.wasi.imports()
        for imp in self.module.imports:
            assert imp.module == "wasi_snapshot_preview1"
            linker.define_func(imp.module, imp.name, imp.type, self._logged(imp.name, functions[imp.name]))
        ex = linker.instantiate(self.store, self.module).exports(self.store)
        self.ex, self.mem = ex, ex["memory"]
        self.wasi.read = lambda addr, n: bytes(self.mem.read(self.store, addr, addr + n))
        self.wasi.write = lambda addr, data: self.mem.write(self.store, data, addr)

    def _logged(self, name, fn):
        def call(*args):
            self.calls.append(name)
            return fn(*args)
        return call

    def render(self, dot: str) -> str:
        return engine._layout(lambda name, *a: self.ex[name](self.store, *a),
                              self.wasi.read, self.wasi.write, dot)


@pytest.fixture(scope="module")
def shim():
    return ShimHost()


def test_the_browser_wasi_functions_cover_every_import_of_graphviz_wasm():
    module = wasmtime.Module(wasmtime.Engine(), engine._wasm_bytes())
    assert sorted(i.name for i in module.imports) == sorted(_Wasi.NAMES)


@pytest.mark.parametrize("path", COURSE_MAPS, ids=lambda p: p.stem)
def test_svg_through_the_browser_wasi_functions_is_byte_identical(shim, path):
    dot = render.to_dot(argkit.load(path))
    assert shim.render(dot) == render_dot(dot, engine="embedded")


def test_nothing_graphviz_does_reaches_the_process_output(shim, capfd):
    svg = shim.render('digraph { a [shape=nonsense] }')  # an unknown shape: Graphviz draws a box
    assert "<svg" in svg
    assert shim.calls and set(shim.calls) <= set(_Wasi.NAMES)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_dot_syntax_error_comes_back_as_an_engine_error(shim):
    with pytest.raises(EngineError, match="could not lay out this graph: Failed to parse DOT source"):
        shim.render("digraph { a -> }")
    assert "<svg" in shim.render("digraph { a -> b }")  # the instance is still usable


class Memory:
    """A bytearray standing in for an instance's memory."""

    def __init__(self, wasi: _Wasi, size: int = 256) -> None:
        self.data = bytearray(size)
        wasi.read = lambda addr, n: bytes(self.data[addr:addr + n])
        wasi.write = self.write

    def write(self, addr: int, data: bytes) -> None:
        assert addr + len(data) <= len(self.data), "write past the end of memory"
        self.data[addr:addr + len(data)] = data

    def u32(self, addr: int) -> int:
        return struct.unpack_from("<I", self.data, addr)[0]


def test_fd_write_gathers_every_buffer_and_reports_the_total():
    w = _Wasi()
    mem = Memory(w)
    mem.write(100, b"Warning: ")
    mem.write(120, b"odd shape\n")
    mem.write(0, struct.pack("<IIII", 100, 9, 120, 10))  # two iovecs
    assert w.fd_write(2, 0, 2, 200) == _Wasi.SUCCESS
    assert bytes(w.stderr) == b"Warning: odd shape\n" and mem.u32(200) == 19
    assert w.fd_write(1, 0, 2, 204) == _Wasi.SUCCESS  # stdout: counted, thrown away
    assert mem.u32(204) == 19 and bytes(w.stderr) == b"Warning: odd shape\n"
    assert w.fd_write(7, 0, 2, 208) == _Wasi.BADF


def test_stderr_is_bounded():
    w = _Wasi()
    mem = Memory(w, 4096)
    mem.write(0, struct.pack("<II", 16, 4000))
    for _ in range(40):
        w.fd_write(2, 0, 1, 8)
    assert _Wasi.STDERR_LIMIT <= len(w.stderr) < _Wasi.STDERR_LIMIT + 4000


def test_no_files_no_environment_no_preopened_directories():
    w = _Wasi()
    mem = Memory(w)
    assert w.fd_prestat_get(3, 0) == _Wasi.BADF  # ends libc's search for preopens at once
    assert w.path_open(3, 0, 0, 0, 0, 0, 0, 0, 0) == _Wasi.NOTCAPABLE
    assert w.path_filestat_get(3, 0, 0, 0, 0) == _Wasi.NOTCAPABLE
    mem.write(0, b"\xff" * 8)
    assert w.environ_sizes_get(0, 4) == _Wasi.SUCCESS and mem.u32(0) == mem.u32(4) == 0
    assert w.fd_read(0, 0, 0, 16) == _Wasi.SUCCESS and mem.u32(16) == 0  # empty stdin
    assert w.fd_read(5, 0, 0, 16) == _Wasi.BADF
    assert w.fd_seek(1, 0, 0, 0) == _Wasi.SPIPE


def test_only_stdio_can_be_closed_or_have_its_flags_set():
    w = _Wasi()
    Memory(w)
    for call in (w.fd_close, lambda fd: w.fd_fdstat_set_flags(fd, 0)):
        assert [call(fd) for fd in (0, 1, 2, 3)] == [_Wasi.SUCCESS] * 3 + [_Wasi.BADF]
    assert w.fd_prestat_dir_name(3, 0, 0) == _Wasi.BADF
    assert w.environ_get(0, 0) == _Wasi.SUCCESS  # an empty environment: nothing to write


def test_stdio_is_a_character_device():
    w = _Wasi()
    mem = Memory(w)
    assert w.fd_fdstat_get(1, 0) == _Wasi.SUCCESS and mem.data[0] == _Wasi.CHARACTER_DEVICE
    assert w.fd_filestat_get(2, 64) == _Wasi.SUCCESS and mem.data[64 + 16] == _Wasi.CHARACTER_DEVICE
    assert w.fd_fdstat_get(9, 0) == _Wasi.BADF and w.fd_filestat_get(9, 0) == _Wasi.BADF


def test_clock_and_random_fill_their_buffers():
    w = _Wasi()
    mem = Memory(w)
    assert w.clock_time_get(0, 1, 8) == _Wasi.SUCCESS
    assert struct.unpack_from("<Q", mem.data, 8)[0] > 1_600_000_000 * 10**9  # wall clock in ns
    assert w.random_get(32, 64) == _Wasi.SUCCESS and any(mem.data[32:96])


def test_proc_exit_stops_the_program():
    with pytest.raises(engine._ProcExit, match="status 3"):
        _Wasi().proc_exit(3)


def test_memory_used_before_the_instance_exists_is_a_clear_error():
    with pytest.raises(RuntimeError, match="before the instance had a memory"):
        _Wasi().environ_sizes_get(0, 4)


# -- one place for the engine name -----------------------------------------------------------------
def test_engine_name_comes_from_the_argument_then_the_environment(monkeypatch):
    monkeypatch.delenv(engine.ENV_VAR, raising=False)
    assert resolve_engine() == "embedded"
    monkeypatch.setenv(engine.ENV_VAR, "system")
    assert resolve_engine() == "system" and resolve_engine("embedded") == "embedded"
    monkeypatch.setenv(engine.ENV_VAR, "")
    assert resolve_engine() == "embedded"


# -- limits ------------------------------------------------------------------------------------------
def test_a_map_too_big_for_the_engine_says_how_to_draw_part_of_it(monkeypatch):
    m = chain(40)
    monkeypatch.setattr(engine, "MAX_BOXES", 30)
    with pytest.raises(EngineError, match=r"40 boxes to draw, more than the 30 .* focus='<id>'.*depth=.*collapse="):
        render.to_svg(m)
    assert "<svg" in render.to_svg(m, collapse=20)  # the advice works
    assert "<svg" in render.to_svg(m, focus="n15")


def test_the_size_limit_comes_before_graphviz_can_trap():
    # A chain this deep ends in a WebAssembly trap (recursion) inside Graphviz.
    with pytest.raises(EngineError, match="6,000 boxes to draw"):
        render.to_svg(chain(6000))


def test_a_slow_layout_is_stopped_with_a_clear_message_and_the_engine_recovers(monkeypatch):
    # A 1,000-deep chain with 50 cross-attacks takes Graphviz minutes.
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.5)
    with pytest.raises(EngineError, match=r"took longer than 0\.5 s and was stopped; draw part of it: focus="):
        render.to_svg(chain(1000, 50))
    assert "<svg" in render.to_svg(chain(5))


def test_a_trap_inside_graphviz_resets_the_instance(monkeypatch):
    monkeypatch.setattr(engine, "MAX_BOXES", 10_000)
    with pytest.raises(EngineError, match="Graphviz stopped with an error"):
        render.to_svg(chain(6000))
    assert "Claim 3 says" in render.to_svg(chain(5))


# -- start-up failures ------------------------------------------------------------------------------
def test_an_unreadable_engine_file_is_a_clear_start_up_error(fresh_engine, monkeypatch):
    monkeypatch.setattr(engine, "_wasm_bytes", lambda: b"\x00asm broken")
    with pytest.raises(EngineError, match=r"could not start Graphviz in WebAssembly .*reinstall argkit.*engine='system'"):
        render_dot("digraph { a }", engine="embedded")
    assert engine._embedded is None  # the next call tries again


def test_a_missing_wasmtime_names_the_package(fresh_engine, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "wasmtime", None)
    with pytest.raises(EngineError, match=r"cannot import 'wasmtime'; reinstall argkit"):
        render_dot("digraph { a }", engine="embedded")


def test_the_engine_starts_again_after_a_failed_start(fresh_engine, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(engine, "_wasm_bytes", lambda: b"")
        with pytest.raises(EngineError):
            render_dot("digraph { a }", engine="embedded")
    assert "<svg" in render_dot("digraph { a }", engine="embedded")


def test_the_compiled_engine_is_kept_in_a_file_and_mapped_by_the_next_process(tmp_path, monkeypatch):
    # A class's kernels share one compiled Graphviz (ARGKIT_ENGINE_CACHE, set by the hub) instead
    # of each decompressing wasmtime's cache into private memory.
    import subprocess
    import sys

    folder = tmp_path / "compiled"
    code = ("import sys, argkit; from argkit import engine\n"
            "calls = []\n"
            "real = engine._wasm_bytes\n"
            "engine._wasm_bytes = lambda: calls.append(1) or real()\n"
            "assert '<svg' in engine.render_dot('digraph { a }', engine='embedded')\n"
            "print(len(calls))\n")
    env = {**__import__("os").environ, engine.COMPILED_ENV: str(folder)}

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert run() == "1"  # compiled from graphviz.wasm, and kept
    (kept,) = folder.glob("graphviz-*.cwasm")
    assert run() == "0"  # mapped from the file: graphviz.wasm not even read
    kept.write_bytes(kept.read_bytes()[:1000])  # damaged (or from another wasmtime): compiled again
    assert run() == "1" and kept.stat().st_size > 1000
    assert run() == "0"
    assert [p.name for p in folder.iterdir()] == [kept.name]  # no temporary file left behind


# -- the end of the process -------------------------------------------------------------------------
def test_the_engine_is_closed_at_exit_and_a_later_render_starts_a_new_one(fresh_engine):
    render_dot("digraph { a }", engine="embedded")
    first = engine._embedded
    assert first is not None
    engine._close_embedded()
    assert engine._embedded is None
    with pytest.raises(ValueError, match="already closed"):  # really freed, not just forgotten
        first._host._engine.increment_epoch()
    assert "<svg" in render_dot("digraph { a }", engine="embedded")
    assert engine._embedded is not None and engine._embedded is not first


# -- the system dot -----------------------------------------------------------------------------------
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="no system Graphviz 'dot' on PATH")


@needs_dot
def test_system_dot_that_fails_gives_its_status_and_message():
    with pytest.raises(EngineError, match=r"engine 'system': .*dot exited with status 1: .*syntax error"):
        render_dot("digraph { a -> }", engine="system")


@needs_dot
def test_system_dot_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.3)
    with pytest.raises(EngineError, match=r"engine 'system': .*took longer than 0\.3 s .*focus='<id>'"):
        render.to_svg(chain(1000, 50), engine="system")


def test_system_dot_that_cannot_be_run_is_a_clear_error(tmp_path, monkeypatch):
    fake = tmp_path / "dot"
    fake.write_text("not a program")
    fake.chmod(0o755)  # executable, but no interpreter line: exec fails
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineError, match=r"engine 'system': running '.*dot' failed .*engine='embedded'"):
        render_dot("digraph { a }", engine="system")


def test_a_compiled_engine_folder_that_cannot_be_written_only_costs_the_compilation(fresh_engine, monkeypatch):
    monkeypatch.setenv(engine.COMPILED_ENV, "/proc/argkit-cannot-be-made")
    assert "<svg" in render_dot("digraph { a }", engine="embedded")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
def test_a_compiled_engine_that_others_could_have_written_is_not_mapped(tmp_path, monkeypatch):
    # Mapping a compiled module runs its machine code unchecked: a file in a shared folder that
    # another student could have written must be compiled afresh, never mapped.
    monkeypatch.setenv(engine.COMPILED_ENV, str(tmp_path / "compiled"))
    calls: list[int] = []
    real = engine._wasm_bytes
    monkeypatch.setattr(engine, "_wasm_bytes", lambda: calls.append(1) or real())
    eng = wasmtime.Engine()
    engine._load_module(wasmtime, eng)
    (kept,) = (tmp_path / "compiled").glob("graphviz-*.cwasm")
    assert kept.stat().st_mode & 0o777 == 0o644 and calls == [1]
    engine._load_module(wasmtime, eng)
    assert calls == [1]  # our own file: mapped
    kept.chmod(0o664)  # group-writable: someone else could have put their code there
    engine._load_module(wasmtime, eng)
    assert calls == [1, 1]
    link = tmp_path / "compiled" / "elsewhere.cwasm"
    kept.rename(link)
    kept.symlink_to(link)  # a link: where it points is not ours to trust
    engine._load_module(wasmtime, eng)
    assert calls == [1, 1, 1]
