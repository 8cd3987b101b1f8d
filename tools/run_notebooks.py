"""Re-execute the course notebooks in place, top to bottom, and keep only stable outputs.

Run it after changing the maps or the renderer, then look at the notebooks and commit:

    python tools/run_notebooks.py                 # all of notebooks/
    python tools/run_notebooks.py notebooks/01-cox-thesis.ipynb

Outputs are what nbval compares; execution timestamps and widget state are dropped so that a
re-run changes a notebook only where its outputs changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive prints to one stream, so how the kernel happened to flush changes nothing."""
    out: list = []
    for o in outputs:
        if (o.output_type == "stream" and out and out[-1].output_type == "stream"
                and out[-1].name == o.name):
            out[-1].text += o.text
        else:
            out.append(o)
    return out


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for p in paths:
        print(f"running {p.name}", flush=True)
        run(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
