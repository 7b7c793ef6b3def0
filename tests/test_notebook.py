"""The example notebook (examples/getting_started.ipynb) runs from top to bottom.

Executed with nbclient in a fresh kernel, in a temporary folder; skipped only
when the notebook tools are not installed or a kernel cannot start.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "examples" / "getting_started.ipynb"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
pytest.importorskip("xarray")


@pytest.fixture(scope="module")
def kernel_starts() -> None:
    try:
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    except Exception as exc:  # noqa: BLE001 - any reason the kernel cannot start
        pytest.skip(f"a python3 Jupyter kernel cannot start: {type(exc).__name__}: {exc}")
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_the_notebook_runs(tmp_path: Path, kernel_starts: None) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "store the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()                           # raises CellExecutionError on any failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "converged in the last season: [ True  True  True  True]" in text
    assert text.count("(OK)") == 4 and "(OUTSIDE_TEMPERATURE)" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert list(tmp_path.iterdir()) == []      # the notebook writes no files
