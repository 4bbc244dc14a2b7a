"""Two app processes on one PostgreSQL (issue 17): a submission stored while a session is open on the
second process shows in that session's figures at its next rerun; two uploads at once through two
processes are both stored exactly once. The read goes through the second ``streamlit run`` process over
Streamlit's websocket protocol (bench.capacity's client)."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from bench.common import run_async
from bench.server import serve
from metrics.store import Store

ROOT = Path(__file__).resolve().parents[1]


async def _specs_before_and_after(port: int, page: str, between) -> tuple[list[str], list[str]]:
    """The plotly specs of ``page`` in one websocket session, before and after ``between()`` runs."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def view(ws) -> list[str]:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        specs = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 180))
            if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                assert el.WhichOneof("type") != "exception", el.exception.message
                if el.WhichOneof("type") == "plotly_chart":
                    specs.append(el.plotly_chart.spec)
            if fwd.WhichOneof("type") == "script_finished":
                return specs

    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
        before = await view(ws)
        between()
        return before, await view(ws)


def _import(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "metrics", "import", str(path), "--db", url, "--json"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_app_processes_on_one_postgresql_see_each_others_uploads(pg_url, tmp_path):
    from metrics.ingest import read_file
    from sample_data.generate import sample_files

    files = [Path(f) for f in sample_files()]
    assert len(files) >= 4
    store = Store(pg_url)
    store.save_submission(read_file(files[0].read_bytes(), files[0].name), files[0].read_bytes(), files[0].name)
    with serve(pg_url, tmp_path) as first, serve(pg_url, tmp_path) as second:
        port = int(second.base.rsplit(":", 1)[1])

        def upload_through_the_first_process_side() -> None:
            proc = _import(pg_url, files[1])
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err

        before, after = run_async(_specs_before_and_after(port, "", upload_through_the_first_process_side))
        assert before and after
        assert before != after  # the overview's figures changed in the second process at the next rerun

        procs = [_import(pg_url, files[2]), _import(pg_url, files[3])]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        assert first.proc.poll() is None and second.proc.poll() is None
    names = [h.get("filename") or h.get("file_name") for h in Store(pg_url).history()]
    for f in files[:4]:
        assert names.count(f.name) == 1, (f.name, names)
